//! The values of the student form's selects that are not plain ids: which phone is the contact
//! phone, and what a mother or father select asks for. Each parses from and renders to the
//! option value the page carries.

use std::fmt;
use std::str::FromStr;

/// `students.contact_phone`: whose number to call. The option values of the «телефон для связи»
/// select are the column's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactPhone {
    Student = 1,
    Mother = 2,
    Father = 3,
}

impl ContactPhone {
    pub const ALL: [ContactPhone; 3] = [
        ContactPhone::Student,
        ContactPhone::Mother,
        ContactPhone::Father,
    ];

    /// The stored code, also the option value.
    pub fn code(self) -> i32 {
        self as i32
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactPhone::Student => "телефон ученика",
            ContactPhone::Mother => "телефон матери",
            ContactPhone::Father => "телефон отца",
        }
    }
}

impl FromStr for ContactPhone {
    type Err = ();

    fn from_str(value: &str) -> Result<ContactPhone, ()> {
        ContactPhone::ALL
            .into_iter()
            .find(|c| c.to_string() == value)
            .ok_or(())
    }
}

impl fmt::Display for ContactPhone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.code().fmt(f)
    }
}

/// The value of a mother or father select: nobody, a parent typed in below, or a stored parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentSelect {
    /// «нет», option value `-1`.
    Nobody,
    /// «создать нового», option value `-2`.
    New,
    /// A parent's id.
    Existing(u32),
}

impl ParentSelect {
    /// The select of a stored student: the linked parent, or nobody.
    pub fn of_stored(parent_id: Option<u32>) -> ParentSelect {
        parent_id.map_or(ParentSelect::Nobody, ParentSelect::Existing)
    }
}

impl FromStr for ParentSelect {
    type Err = ();

    fn from_str(value: &str) -> Result<ParentSelect, ()> {
        match value {
            "-1" => Ok(ParentSelect::Nobody),
            "-2" => Ok(ParentSelect::New),
            id => id.parse().map(ParentSelect::Existing).map_err(|_| ()),
        }
    }
}

impl fmt::Display for ParentSelect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParentSelect::Nobody => f.write_str("-1"),
            ParentSelect::New => f.write_str("-2"),
            ParentSelect::Existing(id) => id.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        for c in ContactPhone::ALL {
            assert_eq!(c.to_string().parse(), Ok(c));
        }
        assert_eq!("2".parse(), Ok(ContactPhone::Mother));
        assert_eq!("0".parse::<ContactPhone>(), Err(()));
        for p in [
            ParentSelect::Nobody,
            ParentSelect::New,
            ParentSelect::Existing(7),
        ] {
            assert_eq!(p.to_string().parse(), Ok(p));
        }
        assert_eq!("-3".parse::<ParentSelect>(), Err(()));
    }
}
