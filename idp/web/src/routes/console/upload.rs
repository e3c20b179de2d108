//! The branding form's body (`multipart/form-data`): its text fields, and
//! one file read up to the logo's limit. What is beyond the limit is read
//! and dropped (up to the request's own limit, `crate::body_limit`), so the
//! browser's upload ends normally and the answer is an error at the field,
//! never a cut connection or a 500.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;

/// The file field as sent.
#[derive(Debug, Default)]
pub enum File {
    /// No file chosen (browsers send an empty part).
    #[default]
    None,
    Bytes(Vec<u8>),
    /// Larger than the limit: its bytes are not kept.
    TooLarge,
}

/// The form as read.
#[derive(Debug, Default)]
pub struct Upload {
    pub fields: Vec<(String, String)>,
    pub file: File,
    /// The body went past the request's limit: only the file can be that
    /// large, so it is [`File::TooLarge`], and the fields after the point
    /// reached are missing (the token too, when the file came first or
    /// the body came in one piece).
    pub cut: bool,
}

/// Why the body is not a form this page sent.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the form's body could not be read: {0}")]
    Body(#[from] MultipartError),
    #[error("the form has a field that is not text or too many fields")]
    Shape,
}

/// More fields than the form has is not the page's form.
const MAX_FIELDS: usize = 32;
/// A text field's largest value (the URLs are checked at 2,000).
const MAX_TEXT: usize = 8 * 1024;

/// Reads the form: the text fields, and the part named `file_field`, kept
/// up to `max_file` bytes.
pub async fn read(mut m: Multipart, file_field: &str, max_file: usize) -> Result<Upload, UploadError> {
    let mut up = Upload::default();
    let mut count = 0;
    loop {
        let mut field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if too_large(&e) => return Ok(cut(up)),
            Err(e) => return Err(e.into()),
        };
        count += 1;
        if count > MAX_FIELDS {
            return Err(UploadError::Shape);
        }
        let name = field.name().unwrap_or_default().to_owned();
        if name == file_field {
            match read_file(&mut field, max_file).await? {
                Some(file) => up.file = file,
                None => return Ok(cut(up)),
            }
            continue;
        }
        let mut text = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => text.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(e) if too_large(&e) => return Ok(cut(up)),
                Err(e) => return Err(e.into()),
            }
            if text.len() > MAX_TEXT {
                return Err(UploadError::Shape);
            }
        }
        up.fields.push((name, String::from_utf8(text).map_err(|_| UploadError::Shape)?));
    }
    Ok(up)
}

fn cut(up: Upload) -> Upload {
    Upload { file: File::TooLarge, cut: true, ..up }
}

/// Whether the body's limit cut the form: axum says so for its own limit;
/// the request's (`crate::body_limit`) is found down the error's sources.
fn too_large(e: &MultipartError) -> bool {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return true;
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if c.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = c.source();
    }
    false
}

/// The file, or `None` when the body's limit cut it.
async fn read_file(field: &mut axum::extract::multipart::Field<'_>, max: usize) -> Result<Option<File>, UploadError> {
    let mut bytes = Vec::new();
    let mut over = false;
    loop {
        match field.chunk().await {
            Ok(Some(_)) if over => {}
            Ok(Some(chunk)) => {
                bytes.extend_from_slice(&chunk);
                if bytes.len() > max {
                    over = true;
                    bytes = Vec::new();
                }
            }
            Ok(None) => break,
            Err(e) if too_large(&e) => return Ok(None),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Some(match (over, bytes.is_empty()) {
        (true, _) => File::TooLarge,
        (false, true) => File::None,
        (false, false) => File::Bytes(bytes),
    }))
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::extract::{FromRequest, Multipart};

    use super::*;

    async fn form(parts: &[(&str, Option<&str>, &[u8])], max: usize) -> Result<Upload, UploadError> {
        form_within(parts, max, usize::MAX).await
    }

    /// The form, its body limited to `limit` bytes as `crate::body_limit` does.
    async fn form_within(parts: &[(&str, Option<&str>, &[u8])], max: usize, limit: usize) -> Result<Upload, UploadError> {
        let mut body = Vec::new();
        for (name, file_name, bytes) in parts {
            body.extend_from_slice(b"--XyZ\r\n");
            match file_name {
                Some(f) => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
                ),
                None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
            }
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--XyZ--\r\n");
        let req = axum::http::Request::post("/")
            .header("content-type", "multipart/form-data; boundary=XyZ")
            .body(Body::new(http_body_util::Limited::new(Body::from(body), limit)))
            .unwrap();
        read(Multipart::from_request(req, &()).await.unwrap(), "logo", max).await
    }

    #[tokio::test]
    async fn fields_and_a_bounded_file() {
        let up = form(&[("csrf", None, b"t"), ("logo", Some("a.svg"), b"<svg/>")], 10).await.unwrap();
        assert_eq!(up.fields, [("csrf".to_owned(), "t".to_owned())]);
        assert!(matches!(up.file, File::Bytes(ref b) if b == b"<svg/>"));
        let up = form(&[("csrf", None, b"t"), ("empty", None, b""), ("logo", Some(""), b""), ("after", None, b"")], 10).await;
        let up = up.unwrap();
        assert!(matches!(up.file, File::None), "no file chosen: {:?}", up.file);
        assert_eq!(up.fields.len(), 3, "empty fields are fields: {:?}", up.fields);
        let up = form(&[("logo", Some("big.png"), &[7; 100]), ("csrf", None, b"t")], 10).await.unwrap();
        assert!(matches!(up.file, File::TooLarge) && !up.cut);
        assert_eq!(up.fields.len(), 1, "the fields after it are still read");
        assert!(matches!(form(&[("x", None, &[0xff, 0xfe])], 10).await, Err(UploadError::Shape)), "text that is not UTF-8");
        // Past the body's limit: the file is what is too large, never an error.
        let up = form_within(&[("csrf", None, b"t"), ("logo", Some("huge.png"), &[7; 5000])], 10, 1000).await.unwrap();
        assert!(matches!(up.file, File::TooLarge) && up.cut);
    }
}
