//! The typefaces of every drawn export. DejaVu Sans is built into the program (see
//! `assets/fonts/LICENSE`), so a PDF or PNG looks the same on every machine and names in
//! Latin, Greek or Cyrillic scripts print as they were typed; a character it lacks (Chinese,
//! Japanese, Korean, Devanagari, emoji…) is set in the first face of the system's fonts that
//! has it — the Noto families first ([`FALLBACK_FAMILIES`]), then any other. Faces whose
//! glyphs are only bitmaps (colour emoji) are passed over: a PDF cannot draw them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use resvg::usvg::fontdb;
use skrifa::instance::{LocationRef, Size};
use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider, Tag};

/// The three faces the summary uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    Regular,
    Bold,
    Italic,
}

impl Style {
    pub const ALL: [Style; 3] = [Style::Regular, Style::Bold, Style::Italic];

    pub fn of(bold: bool) -> Style {
        if bold {
            Style::Bold
        } else {
            Style::Regular
        }
    }

    fn index(self) -> usize {
        match self {
            Style::Regular => 0,
            Style::Bold => 1,
            Style::Italic => 2,
        }
    }
}

/// Which face, in this run of the program: the built-in styles are 0, 1 and 2, the
/// system's faces are numbered as they are first needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaceId(pub u16);

/// One face: its file and the metrics read from it, in ems.
pub struct Face {
    pub id: FaceId,
    /// The font file (a collection's whole file) and the face's index in it.
    pub data: &'static [u8],
    pub index: u32,
    /// The PostScript name.
    pub name: String,
    /// The family, as a picture's `font-family` names it.
    pub family: String,
    /// Whether its outlines are CFF (else TrueType): the PDF embeds the two differently.
    pub cff: bool,
    /// The glyph of each character the face has.
    glyphs: HashMap<char, u16>,
    /// The advance of each glyph, by glyph id, in ems.
    advances: Vec<f32>,
    units_per_em: f32,
    pub ascent: f32,
    pub descent: f32,
    pub cap_height: f32,
    pub italic_angle: f32,
    /// Left, bottom, right, top, in ems.
    pub bounds: (f32, f32, f32, f32),
    /// What the shaper keeps of the face between texts (none if the face cannot be read).
    shaping: Option<harfrust::ShaperData>,
    /// The shaper's plans made so far, by direction (right to left?) and script: making a
    /// plan costs more than shaping a name with it.
    plans: Mutex<HashMap<(bool, harfrust::Script), Arc<harfrust::ShapePlan>>>,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face").field("id", &self.id).field("name", &self.name).finish_non_exhaustive()
    }
}

/// What a missing face measures text with, so a damaged build still lays out pages.
const FALLBACK_ADVANCE: f32 = 0.6;

impl Face {
    fn read(id: FaceId, data: &'static [u8], index: u32, name: String, family: String) -> Face {
        let mut face = Face {
            id,
            data,
            index,
            name,
            family,
            cff: false,
            glyphs: HashMap::new(),
            advances: Vec::new(),
            units_per_em: 1000.0,
            ascent: 0.93,
            descent: -0.24,
            cap_height: 0.73,
            italic_angle: 0.0,
            bounds: (-1.0, -0.4, 2.0, 1.2),
            shaping: None,
            plans: Mutex::new(HashMap::new()),
        };
        let Ok(font) = FontRef::from_index(data, index) else {
            return face;
        };
        let metrics = font.metrics(Size::unscaled(), LocationRef::default());
        let em = f32::from(metrics.units_per_em.max(1));
        let glyph_metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        face.advances = (0..metrics.glyph_count)
            .map(|id| glyph_metrics.advance_width(skrifa::GlyphId::new(u32::from(id))).unwrap_or(0.0) / em)
            .collect();
        face.glyphs = font
            .charmap()
            .mappings()
            .filter_map(|(code, glyph)| Some((char::from_u32(code)?, u16::try_from(glyph.to_u32()).ok()?)))
            .collect();
        face.units_per_em = em;
        face.ascent = metrics.ascent / em;
        face.descent = metrics.descent / em;
        face.cap_height = metrics.cap_height.unwrap_or(metrics.ascent * 0.75) / em;
        face.italic_angle = metrics.italic_angle;
        if let Some(b) = metrics.bounds {
            face.bounds = (b.x_min / em, b.y_min / em, b.x_max / em, b.y_max / em);
        }
        face.cff = font.data_for_tag(Tag::new(b"CFF ")).is_some();
        face.shaping = harfrust::FontRef::from_index(data, index).ok().map(|font| harfrust::ShaperData::new(&font));
        face
    }

    /// The glyph that draws `c` (0, the missing-glyph box, where the face has none).
    pub fn glyph(&self, c: char) -> u16 {
        self.glyphs.get(&c).copied().unwrap_or(0)
    }

    /// Whether the face draws `c`.
    pub fn has(&self, c: char) -> bool {
        self.glyphs.contains_key(&c)
    }

    /// The advance of a glyph, in ems.
    pub fn advance(&self, glyph: u16) -> f32 {
        self.advances.get(usize::from(glyph)).copied().unwrap_or(FALLBACK_ADVANCE)
    }

    /// How many glyphs the face has.
    pub fn glyph_count(&self) -> usize {
        self.advances.len()
    }

    /// Font units per em, which the shaper's positions are in.
    pub fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    /// The width of `text` set in this face at size 1, glyph by glyph (no shaping).
    pub fn width(&self, text: &str) -> f64 {
        text.chars().map(|c| f64::from(self.advance(self.glyph(shown(c))))).sum()
    }

    /// The plan for shaping text of `script` in the direction `rtl` says, made by `make` the
    /// first time.
    pub fn plan(
        &self,
        rtl: bool,
        script: harfrust::Script,
        make: impl FnOnce() -> harfrust::ShapePlan,
    ) -> Arc<harfrust::ShapePlan> {
        let mut plans = self.plans.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        plans.entry((rtl, script)).or_insert_with(|| Arc::new(make())).clone()
    }

    /// The face as the shaper reads it.
    pub fn shaper(&self) -> Option<(harfrust::FontRef<'static>, &harfrust::ShaperData)> {
        Some((harfrust::FontRef::from_index(self.data, self.index).ok()?, self.shaping.as_ref()?))
    }
}

/// The character drawn for `c`: line breaks and tabs inside a line are set as spaces.
pub fn shown(c: char) -> char {
    if c.is_control() {
        ' '
    } else {
        c
    }
}

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Oblique.ttf");

/// The built-in face of `style`, read on first use.
pub fn face(style: Style) -> &'static Face {
    static FACES: [OnceLock<Face>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let (data, name) = match style {
        Style::Regular => (REGULAR, "DejaVuSans"),
        Style::Bold => (BOLD, "DejaVuSans-Bold"),
        Style::Italic => (ITALIC, "DejaVuSans-Oblique"),
    };
    let id = FaceId(style.index() as u16);
    FACES[style.index()].get_or_init(|| Face::read(id, data, 0, name.to_string(), "DejaVu Sans".to_string()))
}

/// The system's families tried first, in this order, for a character the built-in face
/// lacks: Noto's faces for the scripts the coalitions write in, then the CJK faces, then
/// faces of symbols and emoji drawn as outlines. Any other face of the system comes after.
pub const FALLBACK_FAMILIES: &[&str] = &[
    "Noto Sans",
    "Noto Sans Arabic",
    "Noto Naskh Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Devanagari",
    "Noto Sans Bengali",
    "Noto Sans Tamil",
    "Noto Sans Thai",
    "Noto Sans Ethiopic",
    "Noto Sans Armenian",
    "Noto Sans Georgian",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Noto Sans CJK TC",
    "Droid Sans Fallback",
    "Noto Sans Symbols",
    "Noto Sans Symbols 2",
    "Noto Sans Math",
    "Symbola",
    "Noto Emoji",
];

/// A face of the system's that may set what the built-in face lacks.
struct Candidate {
    id: fontdb::ID,
    /// The characters it has, as ranges of code points (read on first need).
    coverage: OnceLock<Vec<(u32, u32)>>,
}

/// The system's faces found so far, and which face sets each character.
#[derive(Default)]
struct Fallbacks {
    /// For an upright and for a bold text: the candidates in the order they are tried.
    order: [Vec<Candidate>; 2],
    loaded: HashMap<fontdb::ID, &'static Face>,
    chosen: HashMap<(char, bool), Option<fontdb::ID>>,
    next_id: u16,
}

fn fallbacks() -> &'static Mutex<Fallbacks> {
    static FALLBACKS: OnceLock<Mutex<Fallbacks>> = OnceLock::new();
    FALLBACKS.get_or_init(|| {
        let fonts = font_database();
        let order = [false, true].map(|bold| candidates(&fonts, bold));
        Mutex::new(Fallbacks { order, next_id: 3, ..Fallbacks::default() })
    })
}

/// The system's faces in the order they are tried: the families of
/// [`FALLBACK_FAMILIES`], then the others by name; upright before italic, and within a
/// family the weight nearest to the text's first. The built-in faces are left out.
fn candidates(fonts: &fontdb::Database, bold: bool) -> Vec<Candidate> {
    let wanted = if bold { 700 } else { 400 };
    let mut faces: Vec<(usize, bool, String, u16, fontdb::ID)> = fonts
        .faces()
        .filter(|f| !matches!(f.source, fontdb::Source::Binary(_)))
        .filter_map(|f| {
            let family = f.families.first()?.0.clone();
            let rank = FALLBACK_FAMILIES.iter().position(|name| *name == family).unwrap_or(FALLBACK_FAMILIES.len());
            let italic = f.style != fontdb::Style::Normal;
            Some((rank, italic, family, f.weight.0.abs_diff(wanted), f.id))
        })
        .collect();
    faces.sort();
    faces.into_iter().map(|(.., id)| Candidate { id, coverage: OnceLock::new() }).collect()
}

/// The code points a face has, as ranges; none if its glyphs are not outlines.
fn coverage(fonts: &fontdb::Database, id: fontdb::ID) -> Vec<(u32, u32)> {
    fonts
        .with_face_data(id, |data, index| {
            let Ok(font) = FontRef::from_index(data, index) else {
                return Vec::new();
            };
            let outlines = [b"glyf", b"CFF "].iter().any(|tag| font.data_for_tag(Tag::new(tag)).is_some());
            if !outlines {
                return Vec::new();
            }
            let mut ranges: Vec<(u32, u32)> = Vec::new();
            for (code, _) in font.charmap().mappings() {
                match ranges.last_mut() {
                    Some((_, end)) if *end + 1 == code => *end = code,
                    _ => ranges.push((code, code)),
                }
            }
            ranges
        })
        .unwrap_or_default()
}

/// The face of the system's that sets `c` in a text of `style`, if any has it.
pub fn fallback(c: char, style: Style) -> Option<&'static Face> {
    let mut state = fallbacks().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let id = find(&mut state, c, style == Style::Bold)?;
    if let Some(face) = state.loaded.get(&id) {
        return Some(*face);
    }
    let face = load(&font_database(), id, FaceId(state.next_id))?;
    state.next_id += 1;
    state.loaded.insert(id, face);
    Some(face)
}

fn find(state: &mut Fallbacks, c: char, bold: bool) -> Option<fontdb::ID> {
    if let Some(found) = state.chosen.get(&(c, bold)) {
        return *found;
    }
    let fonts = font_database();
    let code = u32::from(c);
    let found = state.order[usize::from(bold)]
        .iter()
        .find(|candidate| {
            let ranges = candidate.coverage.get_or_init(|| coverage(&fonts, candidate.id));
            ranges
                .binary_search_by(|&(start, end)| {
                    if end < code {
                        std::cmp::Ordering::Less
                    } else if start > code {
                        std::cmp::Ordering::Greater
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .is_ok()
        })
        .map(|candidate| candidate.id);
    state.chosen.insert((c, bold), found);
    found
}

/// Reads a face of the system's, to keep for the rest of the program's run.
fn load(fonts: &fontdb::Database, id: fontdb::ID, face_id: FaceId) -> Option<&'static Face> {
    let info = fonts.face(id)?;
    let (name, family) = (info.post_script_name.clone(), info.families.first()?.0.clone());
    let (data, index) = fonts.with_face_data(id, |data, index| (data.to_vec(), index))?;
    // Kept for the program's life, as the built-in faces are: a face is read once.
    let data: &'static [u8] = Box::leak(data.into_boxed_slice());
    Some(Box::leak(Box::new(Face::read(face_id, data, index, name, family))))
}

/// The built-in faces and the system's, where the faces for what the built-in ones lack
/// are looked for. Gathered once (names and coverage only; a face's file is read when it
/// is first needed); later exports reuse it.
fn font_database() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut fonts = fontdb::Database::new();
            for data in [REGULAR, BOLD, ITALIC] {
                fonts.load_font_source(fontdb::Source::Binary(Arc::new(data)));
            }
            fonts.load_system_fonts();
            fonts.set_sans_serif_family("DejaVu Sans");
            Arc::new(fonts)
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_face_is_read_with_its_glyphs_and_metrics() {
        for style in Style::ALL {
            let face = face(style);
            assert!(face.glyph_count() > 3000, "{style:?} has {} glyphs", face.glyph_count());
            for c in ['A', 'é', 'ł', 'Ж', 'Ω', '★', '→', '—'] {
                assert_ne!(face.glyph(c), 0, "{style:?} draws {c}");
            }
            assert!(face.ascent > 0.7 && face.descent < -0.1, "{style:?} ascent and descent");
        }
        assert!(face(Style::Italic).italic_angle < 0.0, "the oblique face leans right");
    }

    #[test]
    fn bold_text_is_wider_and_widths_add_up() {
        let regular = face(Style::Regular);
        assert!(face(Style::Bold).width("Tenants Union") > regular.width("Tenants Union"));
        assert!((regular.width("ab") - regular.width("a") - regular.width("b")).abs() < 1e-9);
        assert!((regular.width("a\nb") - regular.width("a b")).abs() < 1e-9, "a line break is set as a space");
    }
}
