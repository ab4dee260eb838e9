//! The `main` pages: the home page (and, later, «ещё», the dump and the integrity pages).

pub mod index;
mod student_card;
