//! Caller values read safely: a `string` parameter checked (never handed to wasm-bindgen's string
//! glue, which traps on a number or `{ length: 2**31 }`), a function parameter checked, and an
//! options object copied into plain data with catching reads before any task starts, so a
//! throwing getter or Proxy trap is an `InvalidParameterError` and serde then reads only the copy
//! (no caller code runs inside WebAssembly frames, which a JS exception would unwind).

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::Error;

/// `value` as a string, else `InvalidParameterError` "`what` must be a string".
pub fn string_arg(value: &JsValue, what: &str) -> Result<String, Error> {
    value
        .as_string()
        .ok_or_else(|| Error::invalid_parameter([what, " must be a string"].concat()))
}

/// `value` as a string, `None` when `undefined` or `null`.
pub fn optional_string_arg(value: &JsValue, what: &str) -> Result<Option<String>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    string_arg(value, what).map(Some)
}

/// `value` as a function, else `InvalidParameterError`.
pub fn function_arg(value: JsValue, what: &str) -> Result<Function, Error> {
    value
        .dyn_into::<Function>()
        .map_err(|_| Error::invalid_parameter([what, " must be a function"].concat()))
}

/// Keys of an options object that are read by reference (`Reflect.get`), never copied: a storage
/// object (which may be `localStorage`) and functions.
const BY_REFERENCE: [&str; 2] = ["storage", "fetch"];
/// The most objects nested in one another, and the most properties, a copy takes.
const MAX_DEPTH: u32 = 16;
const MAX_PROPERTIES: u32 = 10_000;

/// A copy of `value` made of fresh objects (without prototype) and arrays (primitives kept,
/// functions and the top-level [`BY_REFERENCE`] keys left out), read with catching `Reflect`
/// calls: own and
/// inherited string-keyed properties (getters included, as serde reads them) up to
/// `Object.prototype`; arrays by index up to `length`. A read that throws, a cycle (deeper than
/// [`MAX_DEPTH`]) or more than [`MAX_PROPERTIES`] properties is `InvalidParameterError`.
pub fn snapshot(value: &JsValue, what: &str) -> Result<JsValue, Error> {
    let unreadable = |reason: &str| Error::invalid_parameter([what, ": ", reason].concat());
    let prototypes = Prototypes {
        object: Reflect::get_prototype_of(&Object::new()).map_err(|_| unreadable("no Object"))?,
        array: Reflect::get_prototype_of(&Array::new()).map_err(|_| unreadable("no Array"))?,
    };
    let mut budget = MAX_PROPERTIES;
    copy(value, 0, &prototypes, &mut budget).map_err(|reason| unreadable(reason.message()))
}

struct Prototypes {
    object: Object,
    array: Object,
}

enum Unreadable {
    Threw,
    TooDeep,
    TooLarge,
}

impl Unreadable {
    fn message(&self) -> &'static str {
        match self {
            Unreadable::Threw => "the options could not be read (a getter or Proxy trap threw)",
            Unreadable::TooDeep => "the options nest too deeply (or contain a cycle)",
            Unreadable::TooLarge => "the options have too many properties",
        }
    }
}

fn spend(budget: &mut u32, n: u32) -> Result<(), Unreadable> {
    *budget = budget.checked_sub(n).ok_or(Unreadable::TooLarge)?;
    Ok(())
}

fn copy(
    value: &JsValue,
    depth: u32,
    prototypes: &Prototypes,
    budget: &mut u32,
) -> Result<JsValue, Unreadable> {
    if !value.is_object() || value.is_function() {
        return Ok(value.clone());
    }
    if depth >= MAX_DEPTH {
        return Err(Unreadable::TooDeep);
    }
    let read = |key: &JsValue| Reflect::get(value, key).map_err(|_| Unreadable::Threw);
    let first_prototype = Reflect::get_prototype_of(value).map_err(|_| Unreadable::Threw)?;
    if first_prototype == prototypes.array {
        let length = read(&"length".into())?.as_f64().unwrap_or(0.0);
        if !(0.0..=f64::from(*budget)).contains(&length) {
            return Err(Unreadable::TooLarge);
        }
        let count = length as u32;
        spend(budget, count)?;
        let out = Array::new();
        for i in 0..count {
            let item = read(&i.into())?;
            out.push(&copy(&item, depth + 1, prototypes, budget)?);
        }
        return Ok(out.into());
    }
    // No prototype: an own key such as `toString` or `__proto__` is copied like any other.
    let out: Object = Object::create(JsValue::NULL.unchecked_ref());
    let mut holder: JsValue = value.clone();
    let mut prototype = first_prototype;
    loop {
        let keys = Reflect::own_keys(holder.unchecked_ref()).map_err(|_| Unreadable::Threw)?;
        spend(budget, keys.length())?;
        for key in keys.iter().filter(JsValue::is_string) {
            let top_level_reference = depth == 0
                && key
                    .as_string()
                    .is_some_and(|k| BY_REFERENCE.contains(&k.as_str()));
            if top_level_reference || Reflect::has(&out, &key).unwrap_or(true) {
                continue; // an own property shadows an inherited one
            }
            let item = read(&key)?;
            if item.is_function() {
                continue;
            }
            let item = copy(&item, depth + 1, prototypes, budget)?;
            Reflect::set(&out, &key, &item).map_err(|_| Unreadable::Threw)?;
        }
        let is_end = prototype.is_null() || prototype == prototypes.object;
        if is_end {
            return Ok(out.into());
        }
        spend(budget, 1)?; // a long prototype chain spends the budget too
        holder = prototype.clone().into();
        prototype = Reflect::get_prototype_of(&holder).map_err(|_| Unreadable::Threw)?;
    }
}

/// `value` as a JS string, `undefined` when `None` (what an `Option<String>` return gives JS,
/// through a smaller export).
pub fn optional_string(value: Option<String>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, JsValue::from)
}

/// An option given as a JS object (not read by serde): `undefined` when absent.
pub fn js_option(options: &JsValue, name: &str) -> Result<JsValue, Error> {
    Reflect::get(options, &JsValue::from_str(name))
        .map_err(|_| Error::invalid_parameter("options must be an object"))
}

/// The option `name` as a function (`undefined`/`null`: none); anything else is
/// `InvalidParameterError` with `message`.
pub fn optional_function(
    options: &JsValue,
    name: &str,
    message: &'static str,
) -> Result<Option<Function>, Error> {
    match js_option(options, name)? {
        f if f.is_undefined() || f.is_null() => Ok(None),
        f => f
            .dyn_into::<Function>()
            .map(Some)
            .map_err(|_| Error::invalid_parameter(message)),
    }
}

/// [`string_arg`] for a synchronous method: the error as the JS `Error` to throw.
pub fn string_param(value: &JsValue, what: &str) -> Result<String, JsValue> {
    string_arg(value, what).map_err(|e| super::error::to_js_error(&e))
}
