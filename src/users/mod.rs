//! Users: login and logout, passwords, mobile-app sessions (and, later, the user lists and forms).

pub mod change_password;
pub mod force_change_password;
pub mod login;
pub mod logout;
pub mod logout_app;
pub mod password_form;
pub mod store;
