//! The full student form (M, D, T): `/users/register/student` generates the login
//! and the birth-date password; `/users/student/<id>` edits login and FIO directly and re-derives
//! a password that is still the birth-date default. Mother and father are chosen from the
//! parents or typed in as new ones.
//!
//! A submit is read (`read`), checked across fields (`validate`) and written (`write`); any error
//! brings the form back with the visitor's input. The fast form (`student_fast`) shares the name,
//! birth date, school, grade and shift fields and their reading.

pub mod choices;
pub mod fields;
pub mod read;
pub mod validate;
pub mod view;
pub mod write;

use crate::app::forms::FIND;
use crate::app::{AppError, Ctx, Done};
use crate::http::Response;
use crate::users::render_form;
use crate::users::store::{parents, students};
use fields::{FATHER, MOTHER};
use view::ParentPick;
use write::Stored;

const CLASS: &str = "ученика";

pub fn register_get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let none = ParentPick::default();
    let form = view::view(ctx, None, [&none, &none])?;
    render_form(ctx, CLASS, false, form)
}

pub fn edit_get(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id = ctx.params.id("id");
    let (user_id, p) = students::load(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    let account =
        crate::auth::user::account_by_id(&mut ctx.db, user_id)?.ok_or(AppError::NotFound)?;
    let (mother, father) = parents::of_student(&mut ctx.db, id)?;
    let stored = |chosen| ParentPick {
        chosen,
        search: String::new(),
    };
    let mut form = view::view(ctx, Some(id), [&stored(mother), &stored(father)])?;
    view::fill_stored(&mut form, account, p, (mother, father));
    render_form(ctx, CLASS, true, form)
}

pub fn register_post(ctx: &mut Ctx) -> Result<Response, AppError> {
    save(ctx, None)
}

pub fn edit_post(ctx: &mut Ctx) -> Result<Response, AppError> {
    let id = ctx.params.id("id");
    let (user_id, profile) = students::load(&mut ctx.db, id)?.ok_or(AppError::NotFound)?;
    save(
        ctx,
        Some(Stored {
            id,
            user_id,
            profile,
        }),
    )
}

/// Reads, validates and writes; on any error the form comes back with the visitor's input. A
/// parent search («найти») brings it back too, with the parents found, and writes nothing.
fn save(ctx: &mut Ctx, old: Option<Stored>) -> Result<Response, AppError> {
    let submitted = ctx.form.clone();
    let editing = old.is_some();
    let picks = [&MOTHER, &FATHER].map(|side| ParentPick::submitted(&submitted, side));
    let mut form = view::view(ctx, old.as_ref().map(|o| o.id), [&picks[0], &picks[1]])?;
    form.fill(&submitted);
    if searched(&submitted, &picks) {
        return render_form(ctx, CLASS, editing, form);
    }
    let today = ctx.today();
    let user_id = old.as_ref().map(|o| o.user_id);
    let draft = read::read(&mut ctx.db, &mut form, &submitted, user_id, today)?;
    let Some(student) = validate::validate(&mut ctx.db, &mut form, draft)? else {
        return render_form(ctx, CLASS, editing, form);
    };
    let fio = student.account.fio.clone();
    let mut log = Vec::new();
    let written = write::write(
        &mut ctx.db,
        ctx.now,
        &mut form,
        student,
        old.as_ref(),
        &mut log,
    )?;
    let Some(created) = written else {
        return render_form(ctx, CLASS, editing, form);
    };
    ctx.log_changes(&log)?;
    for parent in created {
        ctx.flash_done(Done::new(format!("родитель {parent}"), "создан", ""));
    }
    let student = format!("ученик {fio}");
    ctx.flash_done(match editing {
        false => Done::new(student, "создан", "."),
        true => Done::new(student, "изменен", ""),
    });
    Ok(ctx.redirect("/users/students"))
}

/// Whether the form was posted by a «найти» whose box holds a search. Without JavaScript, Enter
/// in any field presses the form's first button, the mother's «найти»: with her box empty the
/// form is saved as its own button would.
fn searched(submitted: &crate::http::Form, picks: &[ParentPick; 2]) -> bool {
    [&MOTHER, &FATHER]
        .into_iter()
        .zip(picks)
        .any(|(side, pick)| submitted.str(FIND) == side.select && !pick.search.trim().is_empty())
}
