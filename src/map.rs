//! [`VecMap`]: the crate's one map type, a `Vec` of pairs sorted by key.
//!
//! Contract: keys are unique and iteration runs in ascending key order (as a `BTreeMap`'s), so a
//! JSON body written from it is deterministic. Lookups are binary searches, inserts and removals
//! shift the tail: O(n) for the few keys these maps hold (cookies, storage items, Cognito's
//! parameters), and one small copy of code per key/value type instead of a B-tree's.

use crate::prelude::*;
use alloc::fmt;
use core::borrow::Borrow;

/// A map of unique keys in ascending order, kept as one sorted `Vec<(K, V)>`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct VecMap<K, V> {
    pairs: Vec<(K, V)>,
}

impl<K, V> VecMap<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        VecMap { pairs: Vec::new() }
    }

    /// An empty map with room for `capacity` pairs.
    pub fn with_capacity(capacity: usize) -> Self {
        VecMap {
            pairs: Vec::with_capacity(capacity),
        }
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The pairs in ascending key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.pairs.iter().map(|(k, v)| (k, v))
    }

    /// The keys in ascending order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.pairs.iter().map(|(k, _)| k)
    }

    /// The values in ascending key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.pairs.iter().map(|(_, v)| v)
    }

    /// The pairs in ascending key order, as a slice.
    pub fn as_slice(&self) -> &[(K, V)] {
        &self.pairs
    }
}

impl<K: Ord, V> VecMap<K, V> {
    /// `Ok(index of key)` or `Err(index where it would go)`.
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.pairs.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// Sets `key` to `value`; the value it replaced, if any.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => self
                .pairs
                .get_mut(i)
                .map(|(_, old)| core::mem::replace(old, value)),
            Err(i) => {
                self.pairs.insert(i, (key, value));
                None
            }
        }
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key)
            .ok()
            .and_then(|i| self.pairs.get(i))
            .map(|(_, v)| v)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(key).ok()?;
        self.pairs.get_mut(i).map(|(_, v)| v)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Removes `key`; its value, if it was there.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(key).ok()?;
        Some(self.pairs.remove(i).1)
    }

    /// Keeps the pairs for which `keep` answers true.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.pairs.retain_mut(|(k, v)| keep(k, v));
    }
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap::new()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Later pairs replace earlier ones with the same key (as `BTreeMap`'s `collect`).
impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = VecMap::new();
        map.extend(iter);
        map
    }
}

impl<K: Ord, V> Extend<(K, V)> for VecMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

/// Later pairs replace earlier ones with the same key.
impl<K: Ord, V, const N: usize> From<[(K, V); N]> for VecMap<K, V> {
    fn from(pairs: [(K, V); N]) -> Self {
        Self::from_vec(Vec::from(pairs))
    }
}

impl<K: Ord, V> VecMap<K, V> {
    /// One copy per key/value type (not per array length) of [`From`]'s work.
    fn from_vec(pairs: Vec<(K, V)>) -> Self {
        let mut map = VecMap::with_capacity(pairs.len());
        for (k, v) in pairs {
            map.insert(k, v);
        }
        map
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = alloc::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.pairs.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter =
        core::iter::Map<core::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.pairs.iter().map(|(k, v)| (k, v))
    }
}

/// As a map (a JSON object, a JS `Record`).
impl<K: serde::Serialize, V: serde::Serialize> serde::Serialize for VecMap<K, V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// From a map; a repeated key keeps its last value.
impl<'de, K: Ord + serde::Deserialize<'de>, V: serde::Deserialize<'de>> serde::Deserialize<'de>
    for VecMap<K, V>
{
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs<K, V>(core::marker::PhantomData<(K, V)>);
        impl<'de, K: Ord + serde::Deserialize<'de>, V: serde::Deserialize<'de>>
            serde::de::Visitor<'de> for Pairs<K, V>
        {
            type Value = VecMap<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut access: A,
            ) -> Result<Self::Value, A::Error> {
                let mut map = VecMap::new();
                while let Some((k, v)) = access.next_entry()? {
                    map.insert(k, v);
                }
                Ok(map)
            }
        }
        deserializer.deserialize_map(Pairs(core::marker::PhantomData))
    }
}

/// `map[key]` for this crate's unit tests only: it panics on a missing key, so shipped code
/// uses [`VecMap::get`].
#[cfg(test)]
impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> core::ops::Index<&Q> for VecMap<K, V> {
    type Output = V;

    fn index(&self, key: &Q) -> &V {
        match self.get(key) {
            Some(value) => value,
            None => panic!("no such key"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::VecMap;

    #[test]
    fn keys_stay_unique_and_sorted() {
        let mut map = VecMap::from([("b", 1), ("a", 2), ("b", 3)]);
        assert_eq!(map.as_slice(), &[("a", 2), ("b", 3)]);
        assert_eq!(map.insert("c", 4), None);
        assert_eq!(map.insert("a", 5), Some(2));
        assert_eq!(map.keys().copied().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(map.get("a"), Some(&5));
        assert_eq!(map.remove("b"), Some(3));
        assert_eq!(map.remove("b"), None);
        assert!(!map.contains_key("b"));
        assert_eq!(map.len(), 2);
        map.retain(|k, _| *k != "a");
        assert_eq!(map.as_slice(), &[("c", 4)]);
    }

    #[test]
    fn string_keys_look_up_by_str() {
        let map: VecMap<String, String> = [("k".to_owned(), "v".to_owned())].into_iter().collect();
        assert_eq!(map.get("k").map(String::as_str), Some("v"));
        assert_eq!(format!("{map:?}"), r#"{"k": "v"}"#);
    }
}
