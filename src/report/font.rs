//! The one font every plot is drawn with: DejaVu Sans, compiled into the binary.
//!
//! plotters' default text support (`ttf` feature, via font-kit) asks fontconfig for system fonts
//! and fails on a machine that has none. With the `ab_glyph` feature plotters rasterises text
//! itself from fonts registered with [`plotters::style::register_font`]; we register DejaVu Sans
//! (Bitstream Vera license, see `assets/fonts/LICENSE-DejaVu.txt`) under the family name
//! `sans-serif`, the name plotters' text styles use by default. SVG files keep their text as
//! `<text font-family="sans-serif">`, so a browser draws it with its own sans-serif font.

use plotters::style::FontStyle;
use std::sync::OnceLock;

/// DejaVu Sans 2.37, as Debian's `fonts-dejavu-core` ships it.
pub static DEJAVU_SANS_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The family name plots ask for.
pub const FAMILY: &str = "sans-serif";

/// Registers the embedded font with plotters (once per process; registering is idempotent, the
/// registry only maps a name to these static bytes). Returns false if the font would not parse,
/// which would be a build defect.
pub fn ensure_registered() -> bool {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    *REGISTERED.get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, DEJAVU_SANS_TTF).is_ok())
}

/// The embedded font, parsed (for the PNG text rasteriser in [`super::raster`]).
pub fn font_ref() -> Option<&'static ab_glyph::FontRef<'static>> {
    static FONT: OnceLock<Option<ab_glyph::FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| ab_glyph::FontRef::try_from_slice(DEJAVU_SANS_TTF).ok()).as_ref()
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_font_parses_and_registers() {
        assert!(super::ensure_registered());
    }
}
