//! The message of a save that worked, with its counterpart for a read-only developer, whose
//! change is rolled back: «школа «Лицей» создана» becomes «режим только чтения: школа «Лицей» не
//! создана», so the page never claims a save that did not happen.

/// What a save did, said both ways.
pub struct Done {
    pub done: String,
    pub not_done: String,
}

/// How a read-only flash starts.
const READ_ONLY: &str = "режим только чтения: ";

impl Done {
    /// «<subject> <verb><rest>», or «режим только чтения: <subject> не <verb><rest>».
    pub fn new(subject: impl AsRef<str>, verb: &str, rest: impl AsRef<str>) -> Done {
        let (subject, rest) = (subject.as_ref(), rest.as_ref());
        Done {
            done: format!("{subject} {verb}{rest}"),
            not_done: format!("{READ_ONLY}{subject} не {verb}{rest}"),
        }
    }

    /// A message whose negation is not the verb's: `not_done` follows «режим только чтения: ».
    pub fn with(done: String, not_done: impl AsRef<str>) -> Done {
        Done {
            done,
            not_done: format!("{READ_ONLY}{}", not_done.as_ref()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_read_only_message_negates_the_verb() {
        let d = Done::new("школа «Лицей»", "создана", "");
        assert_eq!(d.done, "школа «Лицей» создана");
        assert_eq!(d.not_done, "режим только чтения: школа «Лицей» не создана");
        let d = Done::new("ученик Иванов", "создан", ".");
        assert_eq!(d.not_done, "режим только чтения: ученик Иванов не создан.");
    }
}
