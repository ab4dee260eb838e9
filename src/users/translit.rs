//! Student logins from names, as the original generated them: the first letter of the first name
//! and of the patronymic, then the whole surname, transliterated letter by letter; anything that
//! is not a Russian letter is dropped.

/// The Latin spelling of one lower-cased Russian letter; `""` for every other character.
fn letter(c: char) -> &'static str {
    match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "j",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ы' => "yi",
        'э' => "eh",
        'ю' => "yu",
        'я' => "ya",
        _ => "",
    }
}

fn push(out: &mut String, c: char) {
    for lower in c.to_lowercase() {
        out.push_str(letter(lower));
    }
}

/// The login before the uniqueness suffix: «Иванов», «Пётр», «Сергеевич» → `psivanov`; `login`
/// when nothing transliterable is left.
pub fn base_login(surname: &str, name: &str, patronymic: &str) -> String {
    let mut out = String::new();
    for part in [name, patronymic] {
        if let Some(first) = part.chars().next() {
            push(&mut out, first);
        }
    }
    for c in surname.chars() {
        push(&mut out, c);
    }
    if out.is_empty() {
        out.push_str("login");
    }
    out
}

/// `base`, or `base2`, `base3`, … : the first candidate that `taken` says is free.
pub fn first_free<E>(
    base: &str,
    mut taken: impl FnMut(&str) -> Result<bool, E>,
) -> Result<String, E> {
    if !taken(base)? {
        return Ok(base.to_string());
    }
    let mut n = 2u32;
    loop {
        let candidate = format!("{base}{n}");
        if !taken(&candidate)? {
            return Ok(candidate);
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_example() {
        assert_eq!(base_login("Иванов", "Пётр", "Сергеевич"), "psivanov");
    }

    #[test]
    fn every_letter() {
        assert_eq!(
            base_login("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "", ""),
            "abvgdeezhzijklmnoprstufhtschshshchyiehyuya"
        );
        assert_eq!(base_login("ЩУКИНА", "Юлия", ""), "yushchukina");
    }

    #[test]
    fn drops_everything_else() {
        assert_eq!(
            base_login("Римский-Корсаков 2", "Nikolai", ""),
            "rimskijkorsakov"
        );
        assert_eq!(base_login("Smith", "John", "J"), "login");
        assert_eq!(base_login("", "", ""), "login");
        // The first character counts even when it is dropped: no fallback to the next one.
        assert_eq!(base_login("Ёлкин", " Анна", "-"), "elkin");
    }

    #[test]
    fn suffixes_start_at_two() {
        let taken = ["psivanov", "psivanov2", "psivanov3"];
        let free = |l: &str| Ok::<_, ()>(taken.contains(&l));
        assert_eq!(first_free("psivanov", free), Ok("psivanov4".to_string()));
        assert_eq!(first_free("abc", free), Ok("abc".to_string()));
    }
}
