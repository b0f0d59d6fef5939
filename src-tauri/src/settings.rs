//! The person's settings for the window, kept across runs in a small file beside the other
//! apps' (on Linux `~/.config/org.powermap.app/settings.json`): the language the window
//! speaks when it is not the desktop's, and its colour theme.
//!
//! Settings are not session data: losing the file loses only the choice, so a file that
//! cannot be read is set aside in words on stderr and the defaults are used.

use std::path::{Path, PathBuf};

use powermap_core::i18n::Lang;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

/// What is remembered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// The language chosen in Settings; `None` follows the desktop's (`LC_ALL`, `LANG`…).
    #[serde(deserialize_with = "lenient")]
    pub language: Option<Lang>,
    /// The theme chosen in Settings or with the session's button; `None` follows the
    /// desktop's (its light or dark preference, as the web view reads it).
    #[serde(deserialize_with = "lenient")]
    pub theme: Option<Theme>,
}

/// The window's colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Theme {
    Light,
    Dark,
}

/// All the window needs before its first drawing: its language and its theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WindowSettings {
    pub language: LanguageSetting,
    pub theme: Option<Theme>,
}

/// A setting's value as this version reads it: one it does not know (a newer version's, a
/// hand's typo) is left at its default, and the file's other settings are kept.
fn lenient<'de, D: Deserializer<'de>, T: DeserializeOwned + Default>(from: D) -> Result<T, D::Error> {
    Ok(serde_json::from_value(serde_json::Value::deserialize(from)?).unwrap_or_default())
}

/// The window's language as Settings shows it: the one spoken, the one chosen (if any), and
/// the desktop's, which "Follow the desktop" means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LanguageSetting {
    pub speaking: Lang,
    pub chosen: Option<Lang>,
    pub desktop: Lang,
}

impl Settings {
    /// The language the window speaks under these settings, when the desktop speaks `desktop`.
    pub fn language_setting(&self, desktop: Lang) -> LanguageSetting {
        LanguageSetting { speaking: self.language.unwrap_or(desktop), chosen: self.language, desktop }
    }

    /// The settings in the file at `path`: the defaults if there is none, or if it cannot be
    /// read (said on stderr).
    pub fn load(path: &Path) -> Settings {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Settings::default(),
            Err(error) => {
                eprintln!(
                    "powermap: the settings in {} could not be read ({error}); using the defaults",
                    path.display()
                );
                return Settings::default();
            }
        };
        serde_json::from_str(&text).unwrap_or_else(|error| {
            eprintln!("powermap: the settings in {} are not readable ({error}); using the defaults", path.display());
            Settings::default()
        })
    }

    /// Writes these settings to `path` whole or not at all (a new file renamed over the old).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let fresh = path.with_extension("json.new");
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(&fresh, text + "\n")?;
        std::fs::rename(&fresh, path)
    }
}

/// Where the settings live: the OS config folder (`XDG_CONFIG_HOME` on Linux).
pub fn default_path() -> PathBuf {
    dirs::config_dir().unwrap_or_else(|| PathBuf::from(".")).join("org.powermap.app").join("settings.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_survives_a_new_run_and_none_follows_the_desktop() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("deep/settings.json");
        assert_eq!(Settings::load(&path), Settings::default());
        assert_eq!(Settings::default().language_setting(Lang::Fr).speaking, Lang::Fr);

        Settings { language: Some(Lang::Es), theme: Some(Theme::Dark) }.save(&path).unwrap();
        let again = Settings::load(&path);
        assert_eq!((again.language, again.theme), (Some(Lang::Es), Some(Theme::Dark)));
        let setting = again.language_setting(Lang::Fr);
        assert_eq!((setting.speaking, setting.chosen, setting.desktop), (Lang::Es, Some(Lang::Es), Lang::Fr));
    }

    #[test]
    fn an_unreadable_file_gives_the_defaults_and_an_unknown_field_is_ignored() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("settings.json");
        std::fs::write(&path, "not json {").unwrap();
        assert_eq!(Settings::load(&path), Settings::default());
        std::fs::write(&path, r#"{"language": "de"}"#).unwrap();
        assert_eq!(Settings::load(&path), Settings::default());
        std::fs::write(&path, r#"{"language": "fr", "later": true}"#).unwrap();
        assert_eq!(Settings::load(&path).language, Some(Lang::Fr));
    }

    #[test]
    fn a_value_this_version_does_not_know_keeps_the_other_settings() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("settings.json");
        std::fs::write(&path, r#"{"language": "es", "theme": "high-contrast"}"#).unwrap();
        assert_eq!(Settings::load(&path), Settings { language: Some(Lang::Es), theme: None });
        std::fs::write(&path, r#"{"language": "de", "theme": "dark"}"#).unwrap();
        assert_eq!(Settings::load(&path), Settings { language: None, theme: Some(Theme::Dark) });
        std::fs::write(&path, r#"{"language": 7, "theme": null}"#).unwrap();
        assert_eq!(Settings::load(&path), Settings::default());
    }
}
