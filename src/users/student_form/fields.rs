//! The student form's fields: their names, the two parent sides, and the fields the fast form
//! shares.

use crate::app::AppError;
use crate::app::forms::{Field, Kind};
use crate::users::store::students;

pub const LAST_NAME: &str = "last_name";
pub const FIRST_NAME: &str = "first_name";
pub const SECOND_NAME: &str = "second_name";
pub const BIRTH_DATE: &str = "birth_date";
pub const BIRTH_PLACE: &str = "birth_place";
pub const REGISTRATION_PLACE: &str = "registration_place";
pub const ACTUAL_ADDRESS: &str = "actual_address";
pub const ADDITIONAL_INFO: &str = "additional_info";
pub const KNOWN_FROM: &str = "known_from";
pub const CITIZENSHIP: &str = "citizenship";
pub const SCHOOL: &str = "school";
pub const GRADE: &str = "grade";
pub const SHIFT: &str = "shift";
pub const PHONE: &str = "phone";
pub const CONTACT_PHONE: &str = "contact_phone";

/// The «выберите школу» option.
pub const NO_SCHOOL: &str = "-1";

/// One side of the parents: its select and its new-parent block.
pub struct Side {
    pub select: &'static str,
    /// The select's search box (`<select>_search`).
    pub search: &'static str,
    pub select_label: &'static str,
    /// fio, phone, email, passport, address, home phone, VK, notification types.
    pub names: [&'static str; 8],
    pub labels: [&'static str; 8],
    pub fill_in: &'static str,
    pub passport_taken: &'static str,
    pub missing: &'static str,
}

pub const MOTHER: Side = Side {
    select: "mother",
    search: "mother_search",
    select_label: "мать (при создании нового заполните поля ниже)",
    names: [
        "m_fio",
        "m_phone",
        "m_email",
        "m_passport",
        "m_address",
        "m_home_phone",
        "m_vk_link",
        "m_notification_types",
    ],
    labels: [
        "новая мать: фио",
        "новая мать: телефон",
        "новая мать: email",
        "новая мать: паспорт",
        "новая мать: адрес",
        "новая мать: домашний телефон",
        "новая мать: ВКонтакте",
        "новая мать: уведомления",
    ],
    fill_in: "заполните поля в \"новый родитель - мать\"!",
    passport_taken: "паспорт матери уже зарегистрирован!",
    missing: "мать не указана!",
};

pub const FATHER: Side = Side {
    select: "father",
    search: "father_search",
    select_label: "отец (при создании нового заполните поля ниже)",
    names: [
        "f_fio",
        "f_phone",
        "f_email",
        "f_passport",
        "f_address",
        "f_home_phone",
        "f_vk_link",
        "f_notification_types",
    ],
    labels: [
        "новый отец: фио",
        "новый отец: телефон",
        "новый отец: email",
        "новый отец: паспорт",
        "новый отец: адрес",
        "новый отец: домашний телефон",
        "новый отец: ВКонтакте",
        "новый отец: уведомления",
    ],
    fill_in: "заполните поля в \"новый родитель - отец\"!",
    passport_taken: "паспорт отца уже зарегистрирован!",
    missing: "отец не указан!",
};

/// Positions in [`Side::names`] and [`Side::labels`].
pub const P_FIO: usize = 0;
pub const P_PHONE: usize = 1;
pub const P_EMAIL: usize = 2;
pub const P_PASSPORT: usize = 3;
pub const P_ADDRESS: usize = 4;
pub const P_HOME_PHONE: usize = 5;
pub const P_VK: usize = 6;
pub const P_TYPES: usize = 7;

pub fn text(name: &'static str, label: &'static str, max: usize) -> Field {
    Field::new(Kind::Text, name, label).max_length(max)
}

pub fn required_text(name: &'static str, label: &'static str, max: usize) -> Field {
    text(name, label, max)
        .required()
        .attr("required", "required")
}

/// (id, name) rows as select options.
pub fn pairs(rows: Vec<(u32, String)>) -> Vec<(String, String)> {
    rows.into_iter()
        .map(|(id, n)| (id.to_string(), n))
        .collect()
}

/// The «фамилия», «имя», «отчество» fields shared with the fast form.
pub fn name_fields() -> Vec<Field> {
    vec![
        required_text(LAST_NAME, "фамилия", 60),
        required_text(FIRST_NAME, "имя", 60),
        text(SECOND_NAME, "отчество", 60),
    ]
}

pub fn birth_date_field() -> Field {
    Field::new(Kind::Date, BIRTH_DATE, "дата рождения")
        .required()
        .attr("required", "required")
}

/// The school select; a new student starts at «выберите школу».
pub fn school_field(db: &mut mysql::Conn, new: bool) -> Result<Field, AppError> {
    let mut options = Vec::new();
    if new {
        options.push((NO_SCHOOL.to_string(), "выберите школу".to_string()));
    }
    options.extend(pairs(students::schools(db)?));
    Ok(Field::new(Kind::Select, SCHOOL, "школа")
        .required()
        .with_options(options))
}

pub fn grade_shift_fields() -> Vec<Field> {
    vec![
        required_text(GRADE, "класс", 31),
        required_text(SHIFT, "смена", 31),
    ]
}
