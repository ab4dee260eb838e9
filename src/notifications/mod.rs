//! Blueprint `notifications`: notifications from masters and teachers to a group or one student
//! in a group, shown in the students' cabinets and delivered to the parents by e-mail and VK when
//! those channels are configured (the original had delivery switched off).

pub mod delivery;
pub mod list;
pub mod send;
pub mod store;
pub mod vk;

use crate::ids::{GroupId, StudentInGroupId};

/// A bit of `parents.notification_types`: e-mail 1, VK 2, SMS 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Vk,
    /// Stored as a preference only: never sent.
    Sms,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Email, Channel::Vk, Channel::Sms];

    pub fn bit(self) -> i32 {
        match self {
            Channel::Email => 1,
            Channel::Vk => 2,
            Channel::Sms => 4,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Vk => "ВКонтакте",
            Channel::Sms => "sms",
        }
    }

    pub fn is_in(self, mask: i32) -> bool {
        mask & self.bit() != 0
    }

    /// «email / ВКонтакте», or "" when the mask has none.
    pub fn names_in(mask: i32) -> String {
        Channel::ALL
            .into_iter()
            .filter(|c| c.is_in(mask))
            .map(Channel::name)
            .collect::<Vec<_>>()
            .join(" / ")
    }
}

/// `notifications.receiver_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receiver {
    /// `receiver_id` = groups.id.
    Group(GroupId),
    /// `receiver_id` = student_in_groups.id.
    Member(StudentInGroupId),
}

impl Receiver {
    pub fn type_and_id(self) -> (i32, u32) {
        match self {
            Receiver::Group(id) => (1, id.0),
            Receiver::Member(id) => (2, id.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_names() {
        assert_eq!(Channel::names_in(7), "email / ВКонтакте / sms");
        assert_eq!(Channel::names_in(6), "ВКонтакте / sms");
        assert_eq!(Channel::names_in(0), "");
    }
}
