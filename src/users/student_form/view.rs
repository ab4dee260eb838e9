//! The student form as the page shows it: empty for a new student, or filled with a stored one.

use super::choices::{ContactPhone, ParentSelect};
use super::fields::{
    ACTUAL_ADDRESS, ADDITIONAL_INFO, BIRTH_DATE, BIRTH_PLACE, CITIZENSHIP, CONTACT_PHONE, FATHER,
    GRADE, KNOWN_FROM, MOTHER, PHONE, REGISTRATION_PLACE, SCHOOL, SHIFT, Side, birth_date_field,
    grade_shift_fields, name_fields, pairs, required_text, school_field, text,
};
use crate::app::forms::{Field, Finder, FormView, Kind};
use crate::app::list::ListQuery;
use crate::app::{AppError, Ctx};
use crate::auth::user::Account;
use crate::http::Form;
use crate::structure::parent_form::HOME_PHONE_MAX;
use crate::users::account_form::{self, ENABLED};
use crate::users::store::parents;
use crate::users::store::students::{self, Profile};

/// The notification channels with their bits: option value = bit shift (0 e-mail, 1 VK, 2 SMS).
const CHANNELS: [(&str, &str); 3] = [("0", "email"), ("1", "ВКонтакте"), ("2", "sms")];

/// What one parent select offers besides «нет» and «создать нового»: the parent chosen (stored
/// or submitted), and the parents its search box finds.
#[derive(Debug, Default)]
pub struct ParentPick {
    pub chosen: Option<u32>,
    pub search: String,
}

impl ParentPick {
    /// The pick of `side` in a submitted form.
    pub fn submitted(form: &Form, side: &Side) -> ParentPick {
        let chosen = match form.str(side.select).parse() {
            Ok(ParentSelect::Existing(id)) => Some(id),
            _ => None,
        };
        ParentPick {
            chosen,
            search: form.str(side.search).to_string(),
        }
    }
}

/// The select of one side: «нет», «создать нового», the chosen parent (among `named`, the chosen
/// parents of both sides), then those found.
fn parent_select(
    db: &mut mysql::Conn,
    side: &Side,
    pick: &ParentPick,
    named: &[(u32, String)],
) -> Result<Field, AppError> {
    let mut offered = vec![
        (ParentSelect::Nobody.to_string(), "нет".to_string()),
        (ParentSelect::New.to_string(), "создать нового".to_string()),
    ];
    let chosen = named.iter().filter(|(id, _)| pick.chosen == Some(*id));
    offered.extend(pairs(chosen.cloned().collect()));
    let mut finder = Finder {
        search: pick.search.clone(),
        note: String::new(),
    };
    let q = ListQuery::of_search(&pick.search);
    if !q.search.is_empty() {
        let (found, more) = parents::found(db, &q)?;
        finder.note = match (found.len(), more) {
            (0, _) => format!("по запросу «{}» никого не найдено", q.search),
            (n, false) => format!("найдено: {n} — выберите в списке"),
            (n, true) => format!("показаны первые {n}: уточните запрос"),
        };
        let found = found.into_iter().filter(|(id, _)| pick.chosen != Some(*id));
        offered.extend(pairs(found.collect()));
    }
    Ok(Field::new(Kind::Select, side.select, side.select_label)
        .with_options(offered)
        .found_by(finder))
}

/// The form of a new student (`id` None) or of student `id`, both parents at «нет», each select
/// offering what its pick asks for.
pub fn view(ctx: &mut Ctx, id: Option<u32>, picks: [&ParentPick; 2]) -> Result<FormView, AppError> {
    let mut fields = Vec::new();
    match id {
        Some(_) => {
            fields.push(account_form::login_field());
            fields.push(account_form::fio_field("фио"));
            fields.push(account_form::enabled_field());
        }
        None => {
            fields.push(account_form::enabled_field());
            fields.extend(name_fields());
        }
    }
    fields.extend([
        birth_date_field(),
        required_text(BIRTH_PLACE, "место рождения", 255),
        required_text(REGISTRATION_PLACE, "адрес регистрации", 255),
        required_text(ACTUAL_ADDRESS, "фактический адрес проживания", 255),
        Field::new(Kind::Textarea, ADDITIONAL_INFO, "дополнительная информация").max_length(255),
        text(KNOWN_FROM, "откуда узнал(а) о ЦМИТ", 255),
        Field::new(Kind::Select, CITIZENSHIP, "гражданство")
            .required()
            .with_options(pairs(students::citizenships(&mut ctx.db)?)),
        school_field(&mut ctx.db, id.is_none())?,
    ]);
    fields.extend(grade_shift_fields());
    fields.push(Field::phone(PHONE, "телефон").attr("placeholder", "+7 912 345-67-89"));
    fields.push(
        Field::new(Kind::Select, CONTACT_PHONE, "телефон для связи")
            .required()
            .with_options(
                ContactPhone::ALL
                    .map(|c| (c.to_string(), c.label().to_string()))
                    .to_vec(),
            ),
    );
    let chosen: Vec<u32> = picks.iter().filter_map(|p| p.chosen).collect();
    let named = parents::named(&mut ctx.db, &chosen)?;
    for (side, pick) in [&MOTHER, &FATHER].into_iter().zip(picks) {
        fields.push(parent_select(&mut ctx.db, side, pick, &named)?);
    }
    for side in [&MOTHER, &FATHER] {
        fields.extend(new_parent_fields(side));
    }
    let (action, submit) = match id {
        Some(id) => (format!("/users/student/{id}"), "сохранить"),
        None => ("/users/register/student".to_string(), "создать ученика"),
    };
    let mut form = FormView::new(ctx.url(&action), submit, fields).with_cancel();
    let nobody = ParentSelect::Nobody.to_string();
    form.field_mut(MOTHER.select).select(&nobody);
    form.field_mut(FATHER.select).select(&nobody);
    Ok(form)
}

/// The block of one side for typing in a new parent.
fn new_parent_fields(side: &Side) -> [Field; 8] {
    let [fio, phone, email, passport, address, home, vk, types] = side.names;
    let [
        l_fio,
        l_phone,
        l_email,
        l_passport,
        l_address,
        l_home,
        l_vk,
        l_types,
    ] = side.labels;
    [
        text(fio, l_fio, 255).required(),
        Field::phone(phone, l_phone).required(),
        text(email, l_email, 128).attr("inputmode", "email"),
        text(passport, l_passport, 255),
        text(address, l_address, 255),
        Field::phone(home, l_home).max_length(HOME_PHONE_MAX),
        text(vk, l_vk, 64).attr("placeholder", "vk.com/id12345678"),
        Field::new(Kind::Multiselect, types, l_types).with_options(
            std::iter::once(("-1".to_string(), "нет".to_string()))
                .chain(CHANNELS.map(|(v, l)| (v.to_string(), l.to_string())))
                .collect(),
        ),
    ]
}

/// Puts a stored student, his account and his parents (mother, father) into the form.
pub fn fill_stored(
    form: &mut FormView,
    account: Account,
    p: Profile,
    (mother, father): (Option<u32>, Option<u32>),
) {
    form.field_mut(account_form::LOGIN).value = account.login;
    form.field_mut(account_form::FIO).value = p.fio;
    form.field_mut(ENABLED).checked = account.enabled;
    form.field_mut(BIRTH_DATE).value = p.birth_date.format("%Y-%m-%d").to_string();
    form.field_mut(BIRTH_PLACE).value = p.birth_place;
    form.field_mut(REGISTRATION_PLACE).value = p.registration_place;
    form.field_mut(ACTUAL_ADDRESS).value = p.actual_address;
    form.field_mut(ADDITIONAL_INFO).value = p.additional_info.unwrap_or_default();
    form.field_mut(KNOWN_FROM).value = p.known_from.unwrap_or_default();
    form.field_mut(CITIZENSHIP)
        .select(&p.citizenship_id.to_string());
    form.field_mut(SCHOOL).select(&p.school_id.to_string());
    form.field_mut(GRADE).value = p.grade;
    form.field_mut(SHIFT).value = p.shift;
    form.field_mut(PHONE).value = p.phone.unwrap_or_default();
    // The stored code as it is, also one no option has (bad data): nothing is selected then.
    form.field_mut(CONTACT_PHONE)
        .select(&p.contact_phone.to_string());
    form.field_mut(MOTHER.select)
        .select(&ParentSelect::of_stored(mother).to_string());
    form.field_mut(FATHER.select)
        .select(&ParentSelect::of_stored(father).to_string());
}
