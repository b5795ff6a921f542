import * as cognito from "cognito-wasm";
import { mountSignIn } from "../../../shared/signin.js";
mountSignIn(cognito);
