import { createRoot } from "react-dom/client";
import { SignIn } from "./SignIn.jsx";
createRoot(document.getElementById("root")).render(<SignIn />);
