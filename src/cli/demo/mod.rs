//! The demo data set of `crmit seed-demo`: every row of every table, generated in memory from a
//! fixed seed and the day the data is "as of" (lessons before it have attendance, months up to
//! it have payments, messages and notifications were sent before it). The rows carry explicit
//! ids that continue after the stub seed's, so references are known without reading anything
//! back, and keep every rule of the integrity reports (`crmit check-integrity` finds nothing) by
//! construction.

mod rng;
mod words;

use crate::auth::Role;
use crate::month::Month;
use crate::users::translit;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use mysql::Value;
use rng::Rng;
use std::collections::{HashMap, HashSet};
use words::*;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Size {
    /// ≈150 students, 15 groups, 750 lessons
    Small,
    /// ≈3000 students, 300 groups, 15000 lessons, 150000 attendance marks
    Large,
}

struct Params {
    students: usize,
    groups: usize,
    /// Academic years the groups spread over, the current one last.
    years: i32,
    sections: usize,
    /// Teachers and masters besides the stub ones.
    teachers: usize,
    masters: usize,
    schools: usize,
    messages: usize,
    notifications: usize,
}

impl Size {
    fn params(self) -> Params {
        match self {
            Size::Small => Params {
                students: 150,
                groups: 15,
                years: 3,
                sections: 5,
                teachers: 4,
                masters: 1,
                schools: 10,
                messages: 250,
                notifications: 75,
            },
            Size::Large => Params {
                students: 3000,
                groups: 300,
                years: 6,
                sections: SECTIONS.len(),
                teachers: 29,
                masters: 3,
                schools: 60,
                messages: 5000,
                notifications: 1500,
            },
        }
    }

    fn seed(self) -> u64 {
        match self {
            Size::Small => 0x5eed_0001,
            Size::Large => 0x5eed_0002,
        }
    }
}

/// Every table the demo writes, with its columns (id first), in the order they are loaded.
pub const TABLES: [(&str, &[&str]); 18] = [
    ("citizenships", &["id", "name"]),
    ("schools", &["id", "name"]),
    ("sections", &["id", "name", "price"]),
    (
        "system_users",
        &[
            "id",
            "login",
            "password_hash",
            "system_role_id",
            "last_seen",
            "enabled",
            "last_seen_where",
            "force_ask_to_login",
        ],
    ),
    ("masters", &["id", "fio", "system_user_id"]),
    ("teachers", &["id", "fio", "system_user_id", "phone"]),
    (
        "parents",
        &[
            "id",
            "fio",
            "phone",
            "email",
            "passport",
            "address",
            "home_phone",
            "vk_link",
            "notification_types",
        ],
    ),
    (
        "students",
        &[
            "id",
            "fio",
            "birth_date",
            "birth_place",
            "registration_place",
            "actual_address",
            "additional_info",
            "known_from",
            "school_id",
            "citizenship_id",
            "system_user_id",
            "contact_phone",
            "grade",
            "phone",
            "shift",
            "filled",
        ],
    ),
    (
        "parent_of_students",
        &["id", "student_id", "parent_id", "is_mother"],
    ),
    (
        "groups",
        &[
            "id",
            "name",
            "section_id",
            "teacher_id",
            "start_month",
            "end_month",
        ],
    ),
    (
        "schedule_groups",
        &["id", "schedule_time_id", "day_of_week", "group_id"],
    ),
    (
        "student_in_groups",
        &[
            "id",
            "student_id",
            "group_id",
            "discount",
            "enter_month",
            "exit_month",
        ],
    ),
    ("lessons", &["id", "date", "teacher_id", "group_id"]),
    ("attendings", &["id", "lesson_id", "student_id", "state"]),
    (
        "payments",
        &[
            "id",
            "student_in_group_id",
            "month",
            "value",
            "cash",
            "confirmed",
            "comment",
        ],
    ),
    (
        "notifications",
        &[
            "id",
            "sender_id",
            "receiver_type",
            "receiver_id",
            "subject",
            "body",
            "send_time",
            "receivers",
        ],
    ),
    ("message_details", &["id", "body", "send_time", "unread"]),
    (
        "messages",
        &[
            "id",
            "owner_id",
            "receiver_id",
            "message_details_id",
            "forward",
        ],
    ),
];

/// A stub account the demo builds on: its details row and its system user.
pub struct Stub {
    pub id: u64,
    pub user: u64,
    pub fio: String,
}

/// What the stub seed left in the database.
pub struct Base {
    /// The first free id of every table in `TABLES`.
    pub first_ids: HashMap<&'static str, u64>,
    pub role_ids: HashMap<&'static str, u64>,
    /// `citizenships.id` of «Россия».
    pub russia: u64,
    /// `schedule_times` ids in order.
    pub slots: Vec<u64>,
    pub master: Stub,
    pub teacher: Stub,
    pub student: Stub,
    pub logins: Vec<String>,
}

/// Rows of one table; each row starts with its id.
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Value>>,
    next_id: u64,
}

impl Table {
    fn add(&mut self, values: Vec<Value>) -> u64 {
        self.add_with(|_| values)
    }

    fn add_with(&mut self, values: impl FnOnce(u64) -> Vec<Value>) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let mut row = Vec::with_capacity(self.columns.len());
        row.push(Value::from(id));
        row.extend(values(id));
        debug_assert_eq!(row.len(), self.columns.len(), "{}", self.name);
        self.rows.push(row);
        id
    }
}

/// The generated data: rows to insert, and the times of the timetable's slots to set.
pub struct Demo {
    pub tables: Vec<Table>,
    pub slot_times: Vec<(u64, String)>,
}

/// Timetable slots the demo fills (50-minute lessons); the other stub slots stay empty.
const SLOT_TIMES: [&str; 15] = [
    "08:30", "09:20", "10:10", "11:00", "11:50", "12:40", "13:30", "14:20", "15:10", "16:00",
    "16:50", "17:40", "18:30", "19:20", "20:10",
];
/// Lessons are Monday to Saturday.
const WEEKDAYS: usize = 6;

struct Student {
    id: u64,
    user: u64,
    fio: String,
    parents: Vec<u64>,
    /// Academic year indexes of the first and last year in groups.
    years: (i32, i32),
    /// The chance to be present at a lesson, and to pay for a month.
    diligence: f64,
}

/// What the children of one family share.
struct Family {
    surname: &'static str,
    father_name: (&'static str, &'static str, &'static str),
    address: String,
    mother: Option<u64>,
    father: Option<u64>,
    school: u64,
    /// The academic year index the children come in.
    first_year: i32,
    /// The eldest child's age then.
    age: i32,
    fast: bool,
}

struct Parent {
    email: Option<String>,
    vk: Option<String>,
    types: i32,
}

struct Teacher {
    id: u64,
    user: u64,
    sections: Vec<usize>,
}

struct Group {
    id: u64,
    price: u32,
    teacher: usize,
    start: Month,
    end: Month,
    /// Weekdays of the lessons, 0 = Monday.
    days: Vec<u32>,
    year: i32,
    members: Vec<usize>,
}

struct Member {
    id: u64,
    student: usize,
    group: usize,
    discount: u32,
    enter: Month,
    exit: Month,
}

struct Gen<'a> {
    rng: Rng,
    p: Params,
    base: &'a Base,
    today: NaiveDate,
    /// September of the first academic year.
    first_year: i32,
    tables: HashMap<&'static str, Table>,
    logins: HashSet<String>,
    citizenships: Vec<u64>,
    schools: Vec<u64>,
    /// Section id and price.
    sections: Vec<(u64, u32)>,
    master_users: Vec<u64>,
    teachers: Vec<Teacher>,
    students: Vec<Student>,
    parents: HashMap<u64, Parent>,
    groups: Vec<Group>,
    members: Vec<Member>,
    /// The current group of the stub teacher and student.
    stub_group: Option<usize>,
    passports: u64,
}

/// Generates the whole data set. Same size, day and base → the same rows.
pub fn generate(size: Size, today: NaiveDate, base: &Base) -> Demo {
    let p = size.params();
    // The current academic year starts in September; the data ends with it.
    let current = if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    };
    let first_year = (current - p.years + 1).max(crate::month::FIRST_YEAR);
    let tables = TABLES
        .iter()
        .map(|&(name, columns)| {
            let table = Table {
                name,
                columns,
                rows: Vec::new(),
                next_id: base.first_ids[name],
            };
            (name, table)
        })
        .collect();
    let mut g = Gen {
        rng: Rng::new(size.seed()),
        p,
        base,
        today,
        first_year,
        tables,
        logins: base.logins.iter().cloned().collect(),
        citizenships: Vec::new(),
        schools: Vec::new(),
        sections: Vec::new(),
        master_users: vec![base.master.user],
        teachers: Vec::new(),
        students: Vec::new(),
        parents: HashMap::new(),
        groups: Vec::new(),
        members: Vec::new(),
        stub_group: None,
        passports: 0,
    };
    g.p.years = current - first_year + 1;
    g.structure();
    g.staff();
    while g.students.len() < g.p.students {
        g.family();
    }
    let slot_times = g.groups();
    g.memberships();
    g.lessons();
    g.payments();
    g.notifications();
    g.messages();
    let mut tables = g.tables;
    Demo {
        tables: TABLES
            .iter()
            .map(|(name, _)| tables.remove(name).expect("every table"))
            .collect(),
        slot_times,
    }
}

fn text(s: impl Into<String>) -> Value {
    Value::from(s.into())
}

fn phone(rng: &mut Rng) -> String {
    format!("89{:09}", rng.below(1_000_000_000))
}

fn at(date: NaiveDate, rng: &mut Rng, from_hour: i64, to_hour: i64) -> NaiveDateTime {
    let minutes = rng.range(from_hour * 60, to_hour * 60 - 1);
    date.and_hms_opt(
        (minutes / 60) as u32,
        (minutes % 60) as u32,
        rng.below(60) as u32,
    )
    .expect("valid time")
}

/// Days without lessons: the winter holidays and public holidays.
fn holiday(d: NaiveDate) -> bool {
    matches!(
        (d.month(), d.day()),
        (1, 1..=8) | (2, 23) | (3, 8) | (5, 1) | (5, 9) | (6, 12) | (11, 4)
    )
}

impl Gen<'_> {
    fn table(&mut self, name: &'static str) -> &mut Table {
        self.tables.get_mut(name).expect("known table")
    }

    fn september(&self, year: i32) -> Month {
        Month::from_year_month(self.first_year + year, 9)
    }

    fn current_year(&self) -> i32 {
        self.p.years - 1
    }

    fn structure(&mut self) {
        for name in CITIZENSHIPS {
            let id = self.table("citizenships").add(vec![text(name)]);
            self.citizenships.push(id);
        }
        for n in 0..self.p.schools {
            let number = 3 + n * 3 + self.rng.below(3);
            let name = match self.rng.below(10) {
                0 => format!("Лицей №{number}"),
                1 => format!("Гимназия №{number}"),
                _ => format!("МБОУ «Средняя школа №{number}»"),
            };
            let id = self.table("schools").add(vec![text(name)]);
            self.schools.push(id);
        }
        for &(name, _, price) in &SECTIONS[..self.p.sections] {
            let id = self
                .table("sections")
                .add(vec![text(name), Value::from(price)]);
            self.sections.push((id, price));
        }
    }

    fn login(&mut self, surname: &str, name: &str, patronymic: &str) -> String {
        let base = translit::base_login(surname, name, patronymic);
        let logins = &self.logins;
        let login =
            translit::first_free(&base, |l| Ok::<_, ()>(logins.contains(l))).expect("never fails");
        self.logins.insert(login.clone());
        login
    }

    /// A system user that cannot log in: the UNIQUE hash column gets a marker no password
    /// verifies (only the stub accounts have passwords).
    fn user(
        &mut self,
        login: String,
        role: Role,
        last_seen: NaiveDateTime,
        seen_where: i32,
    ) -> u64 {
        let role_id = self.base.role_ids[role.db_name()];
        self.table("system_users").add_with(|id| {
            vec![
                text(login),
                text(format!("!disabled-demo${id}")),
                Value::from(role_id),
                Value::from(last_seen),
                Value::from(1),
                Value::from(seen_where),
                Value::from(0),
            ]
        })
    }

    /// A grown-up's FIO: surname, first name, patronymic.
    fn adult(&mut self, female: bool) -> (String, String, String) {
        let surname = *self.rng.pick(&SURNAMES);
        let (_, male_patronymic, female_patronymic) = *self.rng.pick(&MALE_NAMES);
        if female {
            (
                female_surname(surname),
                self.rng.pick(&FEMALE_NAMES).to_string(),
                female_patronymic.to_string(),
            )
        } else {
            (
                surname.to_string(),
                self.rng.pick(&MALE_NAMES).0.to_string(),
                male_patronymic.to_string(),
            )
        }
    }

    fn recently_seen(&mut self) -> NaiveDateTime {
        let day = self.today - Duration::days(self.rng.range(1, 30));
        at(day, &mut self.rng, 8, 22)
    }

    fn staff(&mut self) {
        for _ in 0..self.p.masters {
            let female = self.rng.chance(0.6);
            let (s, n, p) = self.adult(female);
            let login = self.login(&s, &n, &p);
            let seen = self.recently_seen();
            let user = self.user(login, Role::Master, seen, 2);
            self.table("masters")
                .add(vec![text(format!("{s} {n} {p}")), Value::from(user)]);
            self.master_users.push(user);
        }
        let sections = self.p.sections;
        self.teachers.push(Teacher {
            id: self.base.teacher.id,
            user: self.base.teacher.user,
            sections: vec![0, 1 % sections],
        });
        for t in 1..=self.p.teachers {
            let female = self.rng.chance(0.5);
            let (s, n, p) = self.adult(female);
            let login = self.login(&s, &n, &p);
            let seen = self.recently_seen();
            let seen_where = *self.rng.pick(&[2, 3]);
            let user = self.user(login, Role::Teacher, seen, seen_where);
            let phone = phone(&mut self.rng);
            let id = self.table("teachers").add(vec![
                text(format!("{s} {n} {p}")),
                Value::from(user),
                text(phone),
            ]);
            let mut taught = vec![t % sections, (t * 5 + 2) % sections];
            taught.dedup();
            self.teachers.push(Teacher {
                id,
                user,
                sections: taught,
            });
        }
    }

    fn parent(&mut self, surname: &str, female: bool, address: &str) -> u64 {
        let (_, male_patronymic, female_patronymic) = *self.rng.pick(&MALE_NAMES);
        let (name, patronymic) = if female {
            (*self.rng.pick(&FEMALE_NAMES), female_patronymic)
        } else {
            (self.rng.pick(&MALE_NAMES).0, male_patronymic)
        };
        let fio = format!("{surname} {name} {patronymic}");
        let latin = translit::base_login(surname, name, "");
        let email = self.rng.chance(0.45).then(|| {
            let domain = self.rng.pick(&EMAIL_DOMAINS);
            format!("{latin}{}@{domain}", self.rng.range(70, 99))
        });
        let vk = self.rng.chance(0.35).then(|| match self.rng.chance(0.5) {
            true => format!("vk.com/id{}", self.rng.range(1_000_000, 599_999_999)),
            false => format!("vk.com/{latin}_{}", self.rng.below(100)),
        });
        let mut types = 0;
        if email.is_some() && self.rng.chance(0.8) {
            types |= 1;
        }
        if vk.is_some() && self.rng.chance(0.7) {
            types |= 2;
        }
        if self.rng.chance(0.3) {
            types |= 4;
        }
        // 7919 is prime to 10⁶: distinct counters give distinct numbers, so passports stay unique.
        let passport = self.rng.chance(0.4).then(|| {
            self.passports += 1;
            format!(
                "38{:02} {:06}",
                self.rng.below(100),
                (self.passports * 7919 + 104_729) % 1_000_000
            )
        });
        let home_phone = self.rng.chance(0.2).then(|| {
            format!(
                "8 4712 {}-{:02}-{:02}",
                self.rng.range(50, 79),
                self.rng.below(100),
                self.rng.below(100)
            )
        });
        let address = self.rng.chance(0.5).then(|| address.to_string());
        let phone = phone(&mut self.rng);
        let id = self.table("parents").add(vec![
            text(fio),
            text(phone),
            Value::from(email.clone()),
            Value::from(passport),
            Value::from(address),
            Value::from(home_phone),
            Value::from(vk.clone()),
            Value::from(types),
        ]);
        self.parents.insert(id, Parent { email, vk, types });
        id
    }

    fn address(&mut self) -> String {
        format!(
            "{CITY}, {}, д. {}, кв. {}",
            self.rng.pick(&STREETS),
            self.rng.range(1, 120),
            self.rng.range(1, 200)
        )
    }

    /// A family: siblings with their mother and father (either may be missing); a child
    /// registered by the fast form has no parents and placeholders instead of details.
    fn family(&mut self) {
        let kids = match self.rng.below(100) {
            0..=77 => 1,
            78..=95 => 2,
            _ => 3,
        };
        let fast = kids == 1 && self.rng.chance(0.03);
        let surname = *self.rng.pick(&SURNAMES);
        let address = self.address();
        let family = Family {
            surname,
            father_name: *self.rng.pick(&MALE_NAMES),
            mother: (!fast && self.rng.chance(0.97))
                .then(|| self.parent(&female_surname(surname), true, &address)),
            father: (!fast && self.rng.chance(0.72)).then(|| self.parent(surname, false, &address)),
            address,
            school: *self.rng.pick(&self.schools),
            first_year: self.rng.range(0, self.p.years as i64 - 1) as i32,
            age: self.rng.range(7, 15) as i32,
            fast,
        };
        for k in 0..kids {
            self.child(&family, k);
        }
    }

    fn child(&mut self, family: &Family, k: i32) {
        let (_, male_patronymic, female_patronymic) = family.father_name;
        let (surname, name, patronymic) = match self.rng.chance(0.4) {
            true => (
                female_surname(family.surname),
                *self.rng.pick(&FEMALE_NAMES),
                female_patronymic,
            ),
            false => (
                family.surname.to_string(),
                self.rng.pick(&MALE_NAMES).0,
                male_patronymic,
            ),
        };
        let fio = format!("{surname} {name} {patronymic}");
        let login = self.login(&surname, name, patronymic);
        // Siblings are a few years apart and come to the centre in the same year.
        let age = (family.age + k * self.rng.range(1, 4) as i32).min(16);
        let span = match self.rng.below(100) {
            0..=54 => 0,
            55..=84 => 1,
            _ => 2,
        };
        let first = family.first_year;
        let years = (first, (first + span).min(self.current_year()));
        let birth = NaiveDate::from_ymd_opt(
            self.first_year + first - age,
            self.rng.range(1, 12) as u32,
            self.rng.range(1, 28) as u32,
        )
        .expect("valid date");
        let (seen, seen_where) = self.student_seen(years);
        let user = self.user(login, Role::Student, seen, seen_where);
        let grade_age = self.first_year + years.1 - birth.year();
        let letter = match self.rng.chance(0.6) {
            true => *self.rng.pick(&["А", "Б", "В", "Г"]),
            false => "",
        };
        let grade = format!("{}{letter}", (grade_age - 6).clamp(1, 11));
        let no_parents = family.mother.is_none() && family.father.is_none();
        let own_phone =
            (self.today.year() - birth.year() >= 10 && self.rng.chance(0.85)) || no_parents;
        let own_phone = own_phone.then(|| phone(&mut self.rng));
        let contact_phone = match (&own_phone, family.mother) {
            (Some(_), _) => 1,
            (None, Some(_)) => 2,
            (None, None) => 3,
        };
        let citizenship = match self.rng.chance(0.95) {
            true => self.base.russia,
            false => *self.rng.pick(&self.citizenships),
        };
        let school = match self.rng.chance(0.7) {
            true => family.school,
            false => *self.rng.pick(&self.schools),
        };
        let shift = if self.rng.chance(0.8) { "1" } else { "2" };
        let details = match family.fast {
            true => self.fast_registration(&surname),
            false => self.full_details(&family.address, own_phone),
        };
        // The columns in table order: the details go around school … grade.
        let mut row = vec![text(fio.clone()), Value::from(birth)];
        row.extend(details);
        row.splice(
            7..7,
            [
                Value::from(school),
                Value::from(citizenship),
                Value::from(user),
                Value::from(contact_phone),
                text(grade),
            ],
        );
        row.extend([text(shift), Value::from(!family.fast)]);
        let id = self.table("students").add(row);
        let mut parents = Vec::new();
        for (parent, is_mother) in [(family.mother, 1), (family.father, 0)] {
            if let Some(parent) = parent {
                self.table("parent_of_students").add(vec![
                    Value::from(id),
                    Value::from(parent),
                    Value::from(is_mother),
                ]);
                parents.push(parent);
            }
        }
        let diligence = 0.65 + 0.33 * self.rng.unit();
        self.students.push(Student {
            id,
            user,
            fio,
            parents,
            years,
            diligence,
        });
    }

    /// When a student was last seen: some never logged in, current students recently.
    fn student_seen(&mut self, years: (i32, i32)) -> (NaiveDateTime, i32) {
        if self.rng.chance(0.2) {
            let registered = self.september(years.0).first_day();
            (at(registered, &mut self.rng, 9, 18), 1)
        } else if years.1 == self.current_year() {
            (self.recently_seen(), *self.rng.pick(&[2, 3, 3]))
        } else {
            let last = self.september(years.1).first_day() + Duration::days(self.rng.range(0, 260));
            (at(last, &mut self.rng, 8, 22), *self.rng.pick(&[2, 3]))
        }
    }

    /// birth_place, registration_place, actual_address, additional_info, known_from, phone.
    fn full_details(&mut self, address: &str, own_phone: Option<String>) -> Vec<Value> {
        let actual = match self.rng.chance(0.8) {
            true => address.to_string(),
            false => self.address(),
        };
        let info = self
            .rng
            .chance(0.15)
            .then(|| *self.rng.pick(&ADDITIONAL_INFO));
        let known_from = self.rng.chance(0.7).then(|| *self.rng.pick(&KNOWN_FROM));
        vec![
            text(*self.rng.pick(&BIRTH_PLACES)),
            text(address),
            text(actual),
            Value::from(info),
            Value::from(known_from),
            Value::from(own_phone),
        ]
    }

    /// The same columns as the fast registration form leaves them (users/student_fast.rs).
    fn fast_registration(&mut self, surname: &str) -> Vec<Value> {
        const NOT_GIVEN: &str = "не указано";
        let parent = format!(
            "{} {}",
            female_surname(surname),
            self.rng.pick(&FEMALE_NAMES)
        );
        let info = format!(
            "телефон родителя: {}; \nимя родителя: {parent}",
            phone(&mut self.rng)
        );
        vec![
            text(NOT_GIVEN),
            text(NOT_GIVEN),
            text(NOT_GIVEN),
            text(info),
            text(NOT_GIVEN),
            text(NOT_GIVEN),
        ]
    }

    /// The groups of every academic year; the current year's are put in the timetable, and
    /// their lessons fall on the timetable's weekdays. Returns the slot times to set.
    fn groups(&mut self) -> Vec<(u64, String)> {
        let slots: Vec<u64> = self
            .base
            .slots
            .iter()
            .take(SLOT_TIMES.len())
            .copied()
            .collect();
        let mut free = vec![[true; WEEKDAYS]; slots.len()];
        let mut numbers: HashMap<(usize, i32), u32> = HashMap::new();
        let per_year = self.p.groups / self.p.years as usize;
        for year in 0..self.p.years {
            let count =
                per_year + usize::from((year as usize) < self.p.groups % self.p.years as usize);
            for k in 0..count {
                self.group(year, k, &slots, &mut free, &mut numbers);
            }
        }
        slots
            .iter()
            .zip(SLOT_TIMES)
            .map(|(&id, time)| (id, time.to_string()))
            .collect()
    }

    fn group(
        &mut self,
        year: i32,
        k: usize,
        slots: &[u64],
        free: &mut [[bool; WEEKDAYS]],
        numbers: &mut HashMap<(usize, i32), u32>,
    ) {
        let current = year == self.current_year();
        // The stub teacher's first current group (Sep–May): te1's and st1's pages show data.
        let stub = current && k == 0;
        let (section, teacher) = if stub {
            (0, 0)
        } else {
            let section = self.rng.below(self.sections.len());
            let candidates: Vec<usize> = (0..self.teachers.len())
                .filter(|&t| self.teachers[t].sections.contains(&section))
                .collect();
            (section, *self.rng.pick(&candidates))
        };
        let (from, to) = match (stub, self.rng.below(100)) {
            (true, _) | (false, 0..=69) => (0, 8),
            (false, 70..=79) => (0, 3),
            (false, 80..=89) => (4, 8),
            (false, 90..=94) => (0, 11),
            (false, _) => (9, 11),
        };
        let september = self.september(year);
        let (start, end) = (Month(september.0 + from), Month(september.0 + to));
        let number = numbers.entry((section, year)).or_insert(0);
        *number += 1;
        let name = format!(
            "{} {:02}-{number}",
            SECTIONS[section].1,
            (self.first_year + year) % 100
        );
        let (section_id, price) = self.sections[section];
        let row = vec![
            text(name),
            Value::from(section_id),
            Value::from(self.teachers[teacher].id),
            Value::from(start.0),
            Value::from(end.0),
        ];
        let id = self.table("groups").add(row);
        let wanted = if self.rng.chance(0.55) { 2 } else { 1 };
        let cells = if current {
            self.cells(free, wanted)
        } else {
            None
        };
        let days = match cells {
            Some((slot, days)) => {
                for &day in &days {
                    self.table("schedule_groups").add(vec![
                        Value::from(slots[slot]),
                        Value::from(day),
                        Value::from(id),
                    ]);
                }
                days
            }
            None => {
                let mut days: Vec<u32> = (0..WEEKDAYS as u32).collect();
                self.rng.shuffle(&mut days);
                days.truncate(wanted);
                days.sort();
                days
            }
        };
        if stub {
            self.stub_group = Some(self.groups.len());
        }
        self.groups.push(Group {
            id,
            price,
            teacher,
            start,
            end,
            days,
            year,
            members: Vec::new(),
        });
    }

    /// Free timetable cells for a group: `wanted` weekdays of one slot (fewer when the
    /// timetable is nearly full), marked taken.
    fn cells(&mut self, free: &mut [[bool; WEEKDAYS]], wanted: usize) -> Option<(usize, Vec<u32>)> {
        if free.is_empty() {
            return None;
        }
        let offset = self.rng.below(free.len());
        for want in (1..=wanted).rev() {
            for i in 0..free.len() {
                let slot = (offset + i) % free.len();
                let mut open: Vec<u32> = (0..WEEKDAYS as u32)
                    .filter(|&d| free[slot][d as usize])
                    .collect();
                if open.len() >= want {
                    self.rng.shuffle(&mut open);
                    open.truncate(want);
                    open.sort();
                    for &d in &open {
                        free[slot][d as usize] = false;
                    }
                    return Some((slot, open));
                }
            }
        }
        None
    }

    /// Fills each year's groups with the students who come that year; those without any group
    /// yet go first, and when places are left some students take a second group.
    fn memberships(&mut self) {
        let mut counts = vec![0usize; self.students.len()];
        for year in 0..self.p.years {
            let groups: Vec<usize> = (0..self.groups.len())
                .filter(|&g| self.groups[g].year == year)
                .collect();
            let mut places: Vec<usize> = groups
                .iter()
                .map(|_| self.rng.range(10, 18) as usize)
                .collect();
            let mut active: Vec<usize> = (0..self.students.len())
                .filter(|&s| (self.students[s].years.0..=self.students[s].years.1).contains(&year))
                .collect();
            self.rng.shuffle(&mut active);
            active.sort_by_key(|&s| counts[s]);
            for _round in 0..2 {
                for &s in &active {
                    let open: Vec<usize> = (0..groups.len())
                        .filter(|&i| {
                            places[i] > 0
                                && !self.groups[groups[i]]
                                    .members
                                    .iter()
                                    .any(|&m| self.members[m].student == s)
                        })
                        .collect();
                    if open.is_empty() {
                        continue;
                    }
                    let i = *self.rng.pick(&open);
                    places[i] -= 1;
                    counts[s] += 1;
                    self.member(s, groups[i]);
                }
            }
        }
        let stub = &self.base.student;
        self.students.push(Student {
            id: stub.id,
            user: stub.user,
            fio: stub.fio.clone(),
            parents: Vec::new(),
            years: (self.current_year(), self.current_year()),
            diligence: 0.9,
        });
        if let Some(group) = self.stub_group {
            self.member(self.students.len() - 1, group);
        }
    }

    fn member(&mut self, student: usize, group: usize) {
        let (start, end, price) = {
            let g = &self.groups[group];
            (g.start, g.end, g.price)
        };
        let enter = if self.rng.chance(0.85) {
            start
        } else {
            Month(self.rng.range(start.0 as i64, end.0 as i64) as i32)
        };
        let exit = if self.rng.chance(0.85) {
            end
        } else {
            Month(self.rng.range(enter.0 as i64, end.0 as i64) as i32)
        };
        let discount = match self.rng.below(100) {
            0..=79 => 0,
            80..=91 => 100 * self.rng.range(1, price as i64 / 200) as u32,
            92..=96 => price / 2,
            _ => price,
        };
        let row = vec![
            Value::from(self.students[student].id),
            Value::from(self.groups[group].id),
            Value::from(discount),
            Value::from(enter.0),
            Value::from(exit.0),
        ];
        let id = self.table("student_in_groups").add(row);
        self.groups[group].members.push(self.members.len());
        self.members.push(Member {
            id,
            student,
            group,
            discount,
            enter,
            exit,
        });
    }

    /// Weekly lessons on the group's weekdays through its whole period (future ones too);
    /// the lessons before today have the attendance of the members of that month.
    fn lessons(&mut self) {
        for g in 0..self.groups.len() {
            let (first, last) = (
                self.groups[g].start.first_day(),
                self.groups[g].end.last_day(),
            );
            for day in first.iter_days().take_while(|d| *d <= last) {
                let weekday = day.weekday().num_days_from_monday();
                if self.groups[g].days.contains(&weekday) && !holiday(day) && !self.rng.chance(0.03)
                {
                    self.lesson(g, day);
                }
            }
        }
    }

    fn lesson(&mut self, g: usize, date: NaiveDate) {
        // Now and then a substitute teaches.
        let teacher = if self.rng.chance(0.94) {
            self.teachers[self.groups[g].teacher].id
        } else {
            self.rng.pick(&self.teachers).id
        };
        let group_id = self.groups[g].id;
        let lesson = self.table("lessons").add(vec![
            Value::from(date),
            Value::from(teacher),
            Value::from(group_id),
        ]);
        if date >= self.today {
            return;
        }
        let month = Month::of_date(date);
        let present: Vec<(u64, f64)> = self.groups[g]
            .members
            .iter()
            .map(|&m| &self.members[m])
            .filter(|m| m.enter <= month && month <= m.exit)
            .map(|m| {
                (
                    self.students[m.student].id,
                    self.students[m.student].diligence,
                )
            })
            .collect();
        for (student, diligence) in present {
            let x = self.rng.unit();
            let state = if x < diligence {
                1
            } else if x < diligence + (1.0 - diligence) * 0.4 {
                2
            } else {
                0
            };
            self.table("attendings").add(vec![
                Value::from(lesson),
                Value::from(student),
                Value::from(state),
            ]);
        }
    }

    /// Payments of the months up to the current one: mostly the full sum, recent ones often
    /// still unconfirmed.
    fn payments(&mut self) {
        let now = Month::of_date(self.today);
        for m in 0..self.members.len() {
            let member = &self.members[m];
            let max = self.groups[member.group].price - member.discount;
            let (id, enter, exit) = (member.id, member.enter, member.exit);
            let diligence = self.students[member.student].diligence;
            if max == 0 {
                continue;
            }
            for month in enter.0..=exit.0.min(now.0) {
                let pays = if month < now.0 {
                    (diligence + 0.25).min(0.98)
                } else {
                    0.5
                };
                if !self.rng.chance(pays) {
                    continue;
                }
                let value = if self.rng.chance(0.88) {
                    max
                } else {
                    (f64::from(max) * (0.3 + 0.6 * self.rng.unit())) as u32 / 50 * 50
                };
                let cash = self.rng.chance(0.6);
                let confirmed = match now.0 - month {
                    0 => self.rng.chance(0.15),
                    1 => self.rng.chance(0.6),
                    _ => self.rng.chance(0.97),
                };
                let comment = match self.rng.chance(0.08) {
                    true => *self.rng.pick(&PAYMENT_COMMENTS),
                    false => "",
                };
                self.table("payments").add(vec![
                    Value::from(id),
                    Value::from(month),
                    Value::from(value),
                    Value::from(cash),
                    Value::from(confirmed),
                    text(comment),
                ]);
            }
        }
    }

    /// Notifications to groups and to students in groups, sent by the group's teacher or a
    /// master while the group ran; `receivers` lists the parents' e-mails, then their VK links,
    /// one per line, as the original stored them.
    fn notifications(&mut self) {
        let started: Vec<usize> = (0..self.groups.len())
            .filter(|&g| self.groups[g].start.first_day() < self.today)
            .collect();
        if started.is_empty() {
            return;
        }
        for _ in 0..self.p.notifications {
            let g = *self.rng.pick(&started);
            let (first, last) = (
                self.groups[g].start.first_day(),
                self.groups[g]
                    .end
                    .last_day()
                    .min(self.today - Duration::days(1)),
            );
            let date = first + Duration::days(self.rng.range(0, (last - first).num_days()));
            let sender = if self.rng.chance(0.65) {
                self.teachers[self.groups[g].teacher].user
            } else {
                *self.rng.pick(&self.master_users)
            };
            let members = self.groups[g].members.clone();
            let (receiver_type, receiver_id, subject, body, students) =
                if !members.is_empty() && self.rng.chance(0.3) {
                    let member = &self.members[*self.rng.pick(&members)];
                    let (subject, body) = *self.rng.pick(&STUDENT_NOTICES);
                    let fio = &self.students[member.student].fio;
                    (
                        2,
                        member.id,
                        subject,
                        body.replace("{}", fio),
                        vec![member.student],
                    )
                } else {
                    let (subject, body) = *self.rng.pick(&GROUP_NOTICES);
                    let when = date + Duration::days(self.rng.range(1, 10));
                    let body = body.replace("{}", &when.format("%d.%m.%Y").to_string());
                    let students = members.iter().map(|&m| self.members[m].student).collect();
                    (1, self.groups[g].id, subject, body, students)
                };
            let receivers = self.receivers(&students);
            let time = at(date, &mut self.rng, 8, 21);
            self.table("notifications").add(vec![
                Value::from(sender),
                Value::from(receiver_type),
                Value::from(receiver_id),
                text(subject),
                text(body),
                Value::from(time),
                text(receivers),
            ]);
        }
    }

    /// The e-mails, then the VK links, of the students' parents who chose those channels.
    fn receivers(&self, students: &[usize]) -> String {
        let (mut emails, mut links): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
        for &s in students {
            for parent in &self.students[s].parents {
                let parent = &self.parents[parent];
                for (bit, address, list) in
                    [(1, &parent.email, &mut emails), (2, &parent.vk, &mut links)]
                {
                    if let Some(address) = address.as_deref().filter(|_| parent.types & bit != 0)
                        && !list.contains(&address)
                    {
                        list.push(address);
                    }
                }
            }
        }
        if emails.is_empty() && links.is_empty() {
            return String::new();
        }
        format!("{}\n{}", emails.join("\n"), links.join("\n"))
    }

    /// Dialogs of the last months: masters with teachers, and staff with current students
    /// (never two students, never a bot or developer). Each message is one details row and
    /// its two mirrored rows, one in each participant's mailbox (`forward` 1 for the sender's).
    fn messages(&mut self) {
        let (master, teacher, student) = (
            self.base.master.user,
            self.base.teacher.user,
            self.base.student.user,
        );
        let mut pairs = vec![(master, teacher), (master, student), (teacher, student)];
        for &m in &self.master_users {
            for t in &self.teachers {
                pairs.push((m, t.user));
            }
        }
        let current: Vec<usize> = (0..self.members.len())
            .filter(|&m| self.groups[self.members[m].group].year == self.current_year())
            .collect();
        if !current.is_empty() {
            for _ in 0..self.p.messages / 6 {
                let member = &self.members[*self.rng.pick(&current)];
                let staff = if self.rng.chance(0.7) {
                    self.teachers[self.groups[member.group].teacher].user
                } else {
                    *self.rng.pick(&self.master_users)
                };
                pairs.push((staff, self.students[member.student].user));
            }
        }
        let mut seen = HashSet::new();
        pairs.retain(|&(a, b)| seen.insert((a.min(b), a.max(b))));
        for i in 0..self.p.messages {
            let (a, b) = if i < pairs.len() {
                pairs[i]
            } else {
                *self.rng.pick(&pairs)
            };
            let (from, to) = if self.rng.chance(0.5) { (a, b) } else { (b, a) };
            let age = self.rng.range(1, 120);
            let time = at(self.today - Duration::days(age), &mut self.rng, 8, 22);
            let unread = age <= 7 && self.rng.chance(0.5);
            let body = *self.rng.pick(&MESSAGES);
            let details = self.table("message_details").add(vec![
                text(body),
                Value::from(time),
                Value::from(unread),
            ]);
            for (owner, receiver, forward) in [(from, to, 1), (to, from, 0)] {
                self.table("messages").add(vec![
                    Value::from(owner),
                    Value::from(receiver),
                    Value::from(details),
                    Value::from(forward),
                ]);
            }
        }
    }
}
