//! The rules of the student form across fields and against the stored parents, and the student
//! they leave to be written.

use super::choices::ContactPhone;
use super::fields::{CONTACT_PHONE, FATHER, MOTHER, Side};
use super::read::{AccountPart, Choice, Draft};
use crate::app::AppError;
use crate::app::forms::FormView;
use crate::structure::store::parents as parent_store;
use crate::users::store::students::Profile;

/// A student that passed every rule.
pub struct Student {
    pub account: AccountPart,
    pub enabled: bool,
    pub profile: Profile,
    pub mother: Choice,
    pub father: Choice,
}

/// Checks what `read` left; the student when the form has no errors.
pub fn validate(
    db: &mut mysql::Conn,
    form: &mut FormView,
    draft: Draft,
) -> Result<Option<Student>, AppError> {
    for (side, choice) in [(&MOTHER, &draft.mother), (&FATHER, &draft.father)] {
        if let Some(Choice::New(parent)) = choice {
            check_passport_free(db, form, side, parent.passport.as_deref())?;
        }
    }
    if let (Some(mother), Some(father)) = (&draft.mother, &draft.father) {
        check_parents(form, mother, father, draft.contact, &draft.phone);
    }
    let (
        Some(account),
        Some(birth_date),
        Some(citizenship_id),
        Some(school_id),
        Some(contact),
        Some(mother),
        Some(father),
    ) = (
        draft.account,
        draft.birth_date,
        draft.citizenship_id,
        draft.school_id,
        draft.contact,
        draft.mother,
        draft.father,
    )
    else {
        return Ok(None);
    };
    if form.has_errors() {
        return Ok(None);
    }
    let profile = Profile {
        fio: account.fio.clone(),
        birth_date,
        birth_place: draft.birth_place,
        registration_place: draft.registration_place,
        actual_address: draft.actual_address,
        additional_info: draft.additional_info,
        known_from: draft.known_from,
        school_id,
        citizenship_id,
        grade: draft.grade,
        shift: draft.shift,
        phone: draft.phone,
        contact_phone: contact.code(),
        filled: true,
    };
    Ok(Some(Student {
        account,
        enabled: draft.enabled,
        profile,
        mother,
        father,
    }))
}

/// A new parent's passport must not be registered already.
fn check_passport_free(
    db: &mut mysql::Conn,
    form: &mut FormView,
    side: &Side,
    passport: Option<&str>,
) -> Result<(), AppError> {
    if let Some(passport) = passport
        && parent_store::passport_taken(db, passport, 0)?
    {
        form.error(side.select, side.passport_taken);
    }
    Ok(())
}

/// The cross-field rules on the parents and the contact phone.
fn check_parents(
    form: &mut FormView,
    mother: &Choice,
    father: &Choice,
    contact: Option<ContactPhone>,
    own_phone: &Option<String>,
) {
    if let (Choice::Existing(m), Choice::Existing(f)) = (mother, father)
        && m == f
    {
        form.error(FATHER.select, "отец не может быть матерью!");
    }
    if let (Choice::New(m), Choice::New(f)) = (mother, father)
        && m.passport.is_some()
        && m.passport == f.passport
    {
        form.error(FATHER.select, "паспорта родителей совпадают!");
    }
    match contact {
        Some(ContactPhone::Student) if own_phone.is_none() => {
            form.error(CONTACT_PHONE, "укажите телефон ученика!")
        }
        Some(ContactPhone::Mother) if matches!(mother, Choice::Nobody) => {
            form.error(CONTACT_PHONE, MOTHER.missing)
        }
        Some(ContactPhone::Father) if matches!(father, Choice::Nobody) => {
            form.error(CONTACT_PHONE, FATHER.missing)
        }
        _ => {}
    }
}
