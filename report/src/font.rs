//! The one typeface of every plot and of `report.html`: DejaVu Sans, bundled.
//!
//! Plot layout is computed from the font's own metrics (plotters' `ab_glyph`
//! feature), and the same font travels inside each SVG and the HTML as a base64
//! `@font-face`, so a report looks the same on every machine, offline, whatever
//! fonts it has installed.

use std::sync::OnceLock;

use plotters::style::FontStyle;

use crate::ReportError;

/// The font family name used in plots and CSS.
pub const FAMILY: &str = "DejaVu Sans";

/// The font's bytes (TrueType).
pub fn ttf() -> &'static [u8] {
    dejavu::sans::regular()
}

/// Standard base64 (RFC 4648, with padding) of `bytes`.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// CSS declaring the bundled font and making it the face of all SVG text. Safe to
/// put in an HTML `<style>` or in an SVG `<style>` without escaping (base64 has no
/// `<` or `&`).
pub fn css() -> &'static str {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(|| {
        format!(
            "@font-face {{ font-family: \"{FAMILY}\"; font-style: normal; font-weight: normal; \
             src: url(data:font/ttf;base64,{}) format(\"truetype\"); }}\n\
             text {{ font-family: \"{FAMILY}\", sans-serif; }}\n",
            base64(ttf())
        )
    })
}

/// CSS naming the font for SVG text without embedding it: DejaVu Sans, then Bitstream
/// Vera Sans (DejaVu's parent, with the same Latin widths), then common sans-serif
/// faces, so text fits its layout wherever DejaVu or Vera is installed and stays
/// readable elsewhere.
pub fn named_css() -> &'static str {
    "text { font-family: \"DejaVu Sans\", \"Bitstream Vera Sans\", Verdana, \"Liberation Sans\", Arial, sans-serif; }\n"
}

/// Makes the bundled font known to plotters, under its name and as the fallback
/// "sans-serif", so that no text is measured with a system font. Idempotent.
pub fn register_for_plots() -> Result<(), ReportError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        [FAMILY, "sans-serif"].iter().all(|name| plotters::style::register_font(name, FontStyle::Normal, ttf()).is_ok())
    });
    if ok { Ok(()) } else { Err(ReportError::Plot(format!("the bundled {FAMILY} font could not be read"))) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_4648_vectors() {
        let cases =
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("foobar", "Zm9vYmFy")];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain:?}");
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn the_font_face_carries_the_whole_truetype_file() {
        let css = css();
        assert!(css.contains("font-family: \"DejaVu Sans\""));
        let encoded = base64(ttf());
        assert!(css.contains(&encoded));
        assert_eq!(encoded.len(), ttf().len().div_ceil(3) * 4);
        assert!(encoded.starts_with("AAEAAA"), "a TrueType file starts 00 01 00 00");
    }
}
