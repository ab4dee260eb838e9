//! Ids of the rows that pages and grids join on: a student, a student's membership of a group
//! (a `student_in_groups` row), a group and a teacher. Each is its own type, so that one cannot
//! be passed where another is meant — a membership id where a student id belongs looks the same
//! as a bare number. They read from and bind to SQL, serialize and print as the bare number.

use mysql::prelude::FromValue;
use mysql::{FromValueError, Value};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<$name, Self::Err> {
                text.parse().map($name)
            }
        }

        impl From<$name> for u32 {
            fn from(id: $name) -> u32 {
                id.0
            }
        }

        impl From<$name> for minijinja::Value {
            fn from(id: $name) -> minijinja::Value {
                id.0.into()
            }
        }

        impl From<$name> for Value {
            fn from(id: $name) -> Value {
                id.0.into()
            }
        }

        impl TryFrom<Value> for $name {
            type Error = FromValueError;

            fn try_from(value: Value) -> Result<$name, FromValueError> {
                u32::from_value_opt(value).map($name)
            }
        }

        impl FromValue for $name {
            type Intermediate = $name;
        }
    };
}

id_type!(
    /// `students.id`.
    StudentId
);
id_type!(
    /// `student_in_groups.id`: one student's membership of one group.
    StudentInGroupId
);
id_type!(
    /// `groups.id`.
    GroupId
);
id_type!(
    /// `teachers.id`.
    TeacherId
);

/// An optional id serialized as the bare number, or 0 when missing: the value of the list
/// filters' «все» option, which templates put in links (`?teacher_id=0` for a user who is not a
/// teacher) and compare with row ids.
pub fn zero_if_none<S: Serializer, T: Into<u32> + Copy>(
    id: &Option<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    id.map_or(0, Into::into).serialize(serializer)
}
