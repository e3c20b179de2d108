//! OpenID Federation 1.0 (issue 5). Nothing here yet: the crate exists so the workspace has its final shape.
