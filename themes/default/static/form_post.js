// Submits the OAuth form_post response automatically; without JavaScript the
// visible button does the same.
document.getElementById("form-post").submit();
