//! A shared, immutable piece of text: author names and label ids.
//!
//! Invariants: a [`Name`] never changes after it is made; cloning it shares
//! the same allocation (an `Arc<str>`), so the hundreds of thousands of
//! annotations of a big project that carry the same author or label hold
//! one copy of it, and copying an annotation's key costs no allocation.
//! Equality, order and hashing are those of the text.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// Shared immutable text, compared and ordered as a `str`.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(Arc<str>);

impl Name {
    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Self {
        Self(Arc::from(s))
    }
}

impl From<String> for Name {
    fn from(s: String) -> Self {
        Self(Arc::from(s))
    }
}

impl From<&String> for Name {
    fn from(s: &String) -> Self {
        Self(Arc::from(s.as_str()))
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == &*other.0
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Name {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self::from)
    }
}

/// Hands out one shared [`Name`] per distinct text among the first few
/// seen, so a loader reading 100k annotations by three authors makes three
/// allocations, not 100k. Beyond [`Interner::CAPACITY`] distinct texts it
/// still works, allocating each new one.
#[derive(Debug, Default)]
pub struct Interner {
    seen: Vec<Name>,
}

impl Interner {
    /// Distinct texts remembered (labels and authors of one project are few).
    pub const CAPACITY: usize = 64;

    /// The shared name for `text`.
    pub fn get(&mut self, text: &str) -> Name {
        if let Some(n) = self.seen.iter().find(|n| n.as_str() == text) {
            return n.clone();
        }
        let n = Name::from(text);
        if self.seen.len() < Self::CAPACITY {
            self.seen.push(n.clone());
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_and_orders_as_text() {
        let a = Name::from("alice");
        assert_eq!(a, "alice");
        assert_eq!("alice", a);
        let (alice, bob) = (Name::from("alice"), Name::from("bob"));
        assert!(alice < bob);
        assert_eq!(format!("{a} {a:?}"), "alice \"alice\"");
        assert_eq!(Name::default().as_str(), "");
    }

    #[test]
    fn interner_shares_one_allocation_per_text() {
        let mut i = Interner::default();
        let a = i.get("alice");
        let b = i.get("alice");
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_ne!(i.get("bob"), a);
        for n in 0..Interner::CAPACITY * 2 {
            assert_eq!(i.get(&n.to_string()).as_str(), n.to_string());
        }
    }
}
