//! What the timetable page showed when it was opened, posted back with its save, so that a save
//! writes only the cells and times the visitor changed and leaves alone those someone else
//! changed in the meantime.

use super::store::{DAYS, Slot};
use crate::http::Form;

/// The hidden field with the groups the page showed: `slot_day_group` for each filled cell,
/// separated by spaces (the empty cells are not listed).
pub const GROUPS_FIELD: &str = "shown_groups";

/// The hidden field with the time a slot's row showed.
pub fn time_field(slot_id: u32) -> String {
    format!("was_time_{slot_id}")
}

/// The [`GROUPS_FIELD`] of a page that shows `slots`.
pub fn encode_groups(slots: &[Slot]) -> String {
    let mut cells = Vec::new();
    for slot in slots {
        for (day, group) in slot.groups.iter().enumerate() {
            if let Some(group) = group {
                cells.push(format!("{}_{day}_{group}", slot.id));
            }
        }
    }
    cells.join(" ")
}

/// The timetable as the posted page showed it. What the form does not say (a form posted without
/// these fields) is taken from `stored`; a malformed cell of the list is ignored.
pub fn decode(form: &Form, stored: &[Slot]) -> Vec<Slot> {
    let mut shown = stored.to_vec();
    for slot in &mut shown {
        if let Some(time) = form.get(&time_field(slot.id)) {
            let time = time.trim();
            slot.time = (!time.is_empty()).then(|| time.to_string());
        }
    }
    let Some(cells) = form.get(GROUPS_FIELD) else {
        return shown;
    };
    for slot in &mut shown {
        slot.groups = [None; 7];
    }
    for cell in cells.split_whitespace() {
        let mut parts = cell.split('_').map(str::parse::<u32>);
        let (Some(Ok(slot_id)), Some(Ok(day)), Some(Ok(group)), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let day = day as usize;
        if let Some(slot) = shown.iter_mut().find(|s| s.id == slot_id)
            && day < DAYS.len()
            && group != 0
        {
            slot.groups[day] = Some(group);
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(id: u32, time: Option<&str>, groups: [Option<u32>; 7]) -> Slot {
        Slot {
            id,
            time: time.map(str::to_string),
            groups,
        }
    }

    #[test]
    fn the_shown_timetable_comes_back_from_its_fields() {
        let mut days = [None; 7];
        days[0] = Some(5);
        days[6] = Some(7);
        let page = [slot(1, Some("10:00"), days), slot(2, None, [None; 7])];
        assert_eq!(encode_groups(&page), "1_0_5 1_6_7");

        // Since the page was opened: a group in slot 2, another time in slot 1, cells emptied.
        let mut now_days = [None; 7];
        now_days[3] = Some(9);
        let stored = [slot(1, Some("11:00"), [None; 7]), slot(2, None, now_days)];
        let form = Form::parse(
            format!(
                "{GROUPS_FIELD}=1_0_5+1_6_7+junk+2_9_1+1_1&{}=10%3A00&{}=",
                time_field(1),
                time_field(2)
            )
            .as_bytes(),
        )
        .unwrap();
        let shown = decode(&form, &stored);
        assert_eq!(shown[0].time.as_deref(), Some("10:00"));
        assert_eq!(shown[0].groups, days);
        assert_eq!(shown[1].time, None);
        assert_eq!(shown[1].groups, [None; 7]);

        // A form without the fields: the stored timetable.
        let shown = decode(&Form::parse(b"").unwrap(), &stored);
        assert_eq!(shown[0].time.as_deref(), Some("11:00"));
        assert_eq!(shown[1].groups, now_days);
    }
}
