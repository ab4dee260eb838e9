//! `/users/register/student/fast` and `/users/register/student/fast/<group_id>/<month_number>`
//! (M, D, T): a student from a few fields, marked not filled in, optionally put
//! into a group for its whole period. Unlike the original, a missing group is found before
//! anything is written (404, nothing created).

use crate::app::access::group_for_read;
use crate::app::forms::{Field, FormView, Kind, check_text, phone_or_text};
use crate::app::{AppError, Ctx, Done, form_page};
use crate::auth::{Role, password};
use crate::http::Response;
use crate::ids::{GroupId, StudentId};
use crate::structure::store::members;
use crate::users::store;
use crate::users::store::students::{self, Profile};
use crate::users::student_form::{self, choices::ContactPhone};

const TITLE: &str = "быстрое создание ученика";
const PARENT_NAME: &str = "parent_name";
const PARENT_PHONE: &str = "parent_phone";
/// What the fields the fast form does not ask for hold until the full form is saved.
const NOT_GIVEN: &str = "не указано";
/// `citizenships.id` of «Россия» in every seeded database.
const DEFAULT_CITIZENSHIP: u32 = 1;

fn view(ctx: &mut Ctx) -> Result<FormView, AppError> {
    let mut fields = student_form::fields::name_fields();
    fields.push(student_form::fields::birth_date_field());
    fields.push(student_form::fields::school_field(&mut ctx.db, true)?);
    fields.extend(student_form::fields::grade_shift_fields());
    for field in [
        Field::new(Kind::Text, PARENT_NAME, "имя родителя"),
        Field::phone(PARENT_PHONE, "телефон родителя"),
    ] {
        fields.push(field.required().max_length(31).attr("required", "required"));
    }
    let action = ctx.url(&ctx.req.path);
    Ok(FormView::new(action, "создать ученика", fields).with_cancel())
}

fn render(ctx: &mut Ctx, form: FormView) -> Result<Response, AppError> {
    form_page::render(ctx, TITLE, TITLE, form)
}

pub fn get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let form = view(ctx)?;
    render(ctx, form)
}

pub fn post(ctx: &mut Ctx) -> Result<Response, AppError> {
    match create(ctx)? {
        Err(form) => render(ctx, form),
        Ok((_, fio)) => {
            ctx.flash_done(Done::new(format!("ученик {fio}"), "создан", "."));
            Ok(ctx.redirect("/users/students"))
        }
    }
}

/// The same, then into the group for its whole period, and back to the group's month.
pub fn post_into_group(ctx: &mut Ctx) -> Result<Response, AppError> {
    let group_id = GroupId(ctx.params.id("group_id"));
    let month = ctx.params.id("month_number");
    let group = group_for_read(ctx, group_id)?;
    let (student_id, fio) = match create(ctx)? {
        Err(form) => return render(ctx, form),
        Ok(created) => created,
    };
    let joined = members::add(&mut ctx.db, &group, student_id)?;
    ctx.log_changes(&[joined])?;
    ctx.flash_done(Done::with(
        format!("ученик {fio} создан и добавлен в группу {}.", group.name),
        format!(
            "ученик {fio} не создан и не добавлен в группу {}.",
            group.name
        ),
    ));
    Ok(ctx.redirect(&format!("/lessons/{group_id}/{month}")))
}

/// Validates and inserts the student: its id and FIO, or the form with its errors.
fn create(ctx: &mut Ctx) -> Result<Result<(StudentId, String), FormView>, AppError> {
    let submitted = ctx.form.clone();
    let mut form = view(ctx)?;
    form.fill(&submitted);
    let names = student_form::read::check_names(&mut ctx.db, &mut form, &submitted)?;
    let birth_date = student_form::read::check_birth_date(&mut form, &submitted, ctx.today());
    let school_id = student_form::read::check_school(&mut form, &submitted);
    let grade = check_text(&mut form, &submitted, student_form::fields::GRADE, 1, 31);
    let shift = check_text(&mut form, &submitted, student_form::fields::SHIFT, 1, 31);
    let parent_name = check_text(&mut form, &submitted, PARENT_NAME, 1, 31);
    let parent_phone = phone_or_text(check_text(&mut form, &submitted, PARENT_PHONE, 1, 31));
    let (Some((fio, login)), Some(birth_date), Some(school_id)) = (names, birth_date, school_id)
    else {
        return Ok(Err(form));
    };
    if form.has_errors() {
        return Ok(Err(form));
    }
    let hash = password::hash(&student_form::write::default_password(birth_date));
    let user_id =
        store::insert_system_user(&mut ctx.db, Role::Student, &login, &hash, true, ctx.now)?;
    let profile = Profile {
        fio: fio.clone(),
        birth_date,
        birth_place: NOT_GIVEN.into(),
        registration_place: NOT_GIVEN.into(),
        actual_address: NOT_GIVEN.into(),
        additional_info: Some(format!(
            "телефон родителя: {parent_phone}; \nимя родителя: {parent_name}"
        )),
        known_from: Some(NOT_GIVEN.into()),
        school_id,
        citizenship_id: DEFAULT_CITIZENSHIP,
        grade,
        shift,
        phone: Some(NOT_GIVEN.into()),
        contact_phone: ContactPhone::Student.code(),
        filled: false,
    };
    let student_id = StudentId(students::insert(&mut ctx.db, user_id, &profile)?);
    let created = store::account_change(
        user_id,
        Some(student_id),
        &login,
        "—",
        &store::created_word(true),
    );
    ctx.log_changes(&[created])?;
    Ok(Ok((student_id, fio)))
}
