//! `CognitoAuth`'s sign-up methods (another `impl` block, the `signup` module of the browser
//! package, between `signin` and `full`): signUp, confirmSignUp (with the auto sign-in),
//! resendConfirmationCode, forgotPassword and confirmForgotPassword. The flows are the core's
//! (`crate::client`).

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::auth::CognitoAuth;
use super::promise::promise;
use super::sign_in_object::SignInObject;
use super::sign_up_options::{code_delivery_result_to_js, sign_up_result_to_js};
use super::types::{
    ConfirmForgotPasswordParams, ConfirmSignUpParams, SignUpParams, UsernameParams,
};

#[wasm_bindgen]
impl CognitoAuth {
    /// SignUp.
    #[wasm_bindgen(js_name = signUp, unchecked_return_type = "Promise<SignUpResult>")]
    pub fn sign_up(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignUpParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let params = SignUpParams::read(&params);
        promise(async move {
            let params = params?;
            let auto = params.auto_sign_in.then(|| params.username.clone());
            let answer = inner.client.sign_up(&params.into()).await?;
            let kept = match (auto, answer.session.as_deref()) {
                (Some(username), Some(session)) => Some((username, session.into())),
                _ => None,
            };
            inner.auto_sign_in.replace(kept);
            Ok(sign_up_result_to_js(
                answer.user_confirmed,
                &answer.user_sub,
                answer.code_delivery_details.as_ref(),
            ))
        })
    }

    /// ConfirmSignUp; after `signUp({ autoSignIn: true })` for this username, then `USER_AUTH`
    /// with the `Session` ConfirmSignUp answers (resolves as `signIn` does).
    #[wasm_bindgen(js_name = confirmSignUp, unchecked_return_type = "Promise<SignInResult | undefined>")]
    pub fn confirm_sign_up(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ConfirmSignUpParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let p = ConfirmSignUpParams::read(&params);
        promise(async move {
            let p = p?;
            let code = p.code.into();
            let auto = inner.auto_sign_in.borrow().clone();
            let auto = auto.filter(|(username, _)| *username == p.username);
            let sign_up_session = auto.as_ref().map(|(_, s)| s.expose_secret());
            let session = inner
                .client
                .confirm_sign_up_with_session(
                    &p.username,
                    &code,
                    p.force_alias_creation,
                    p.client_metadata.as_ref(),
                    sign_up_session,
                )
                .await?;
            if auto.is_none() {
                return Ok(JsValue::UNDEFINED);
            }
            inner.auto_sign_in.replace(None);
            let Some(session) = session.or(sign_up_session.map(str::to_owned)) else {
                return Ok(JsValue::UNDEFINED);
            };
            inner.pending.replace(None);
            let step = inner
                .client
                .sign_in_with_session(&p.username, &session, p.client_metadata.as_ref())
                .await?;
            inner.step_to_js(step)
        })
    }

    /// ResendConfirmationCode.
    #[wasm_bindgen(js_name = resendConfirmationCode, unchecked_return_type = "Promise<CodeDeliveryResult>")]
    pub fn resend_confirmation_code(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UsernameParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let p = UsernameParams::read(&params, "resendConfirmationCode");
        promise(async move {
            let p = p?;
            let details = inner
                .client
                .resend_confirmation_code(&p.username, p.client_metadata.as_ref())
                .await?;
            Ok(code_delivery_result_to_js(&details))
        })
    }

    /// ForgotPassword.
    #[wasm_bindgen(js_name = forgotPassword, unchecked_return_type = "Promise<CodeDeliveryResult>")]
    pub fn forgot_password(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UsernameParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let p = UsernameParams::read(&params, "forgotPassword");
        promise(async move {
            let p = p?;
            let details = inner
                .client
                .forgot_password(&p.username, p.client_metadata.as_ref())
                .await?;
            Ok(code_delivery_result_to_js(&details))
        })
    }

    /// ConfirmForgotPassword.
    #[wasm_bindgen(js_name = confirmForgotPassword, unchecked_return_type = "Promise<void>")]
    pub fn confirm_forgot_password(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ConfirmForgotPasswordParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let p = ConfirmForgotPasswordParams::read(&params);
        promise(async move {
            let p = p?;
            let (code, new_password) = (p.code.into(), p.new_password.into());
            inner
                .client
                .confirm_forgot_password(
                    &p.username,
                    &code,
                    &new_password,
                    p.client_metadata.as_ref(),
                )
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}
