import * as cognito from "/node_modules/cognito-wasm/browser.js";
import { mountSignIn } from "/shared/signin.js";
mountSignIn(cognito);
