<?php
// A CAS application as GLPI signs its agents in: phpCAS (Debian's
// php-cas, the library GLPI uses), protocol 3.0, against Trame's CAS
// endpoints. Served by PHP's built-in server in browser/cas.test.mjs.
//
//   TRAME_E2E_CAS_BASE  Trame's CAS base, e.g. http://localhost:8080/cas
//   TRAME_E2E_PHPCAS    this application's base, e.g. http://127.0.0.1:9000
//
// /index.php signs in (phpCAS::forceAuthentication) and shows the user
// and the attributes; /index.php?logout=1 signs out through Trame
// (phpCAS::logout, which comes back to /index.php?signed-out=1). Trame's
// single-logout POST arrives at the service URL, /index.php, and phpCAS
// ends the PHP session it names (handleLogoutRequests).
require_once 'CAS.php';

$cas = getenv('TRAME_E2E_CAS_BASE');
$self = getenv('TRAME_E2E_PHPCAS');
$service = $self . '/index.php';
$trame = parse_url($cas);

phpCAS::client(CAS_VERSION_3_0, $trame['host'], $trame['port'], $trame['path'], $self);
// phpCAS writes https://host:port/… unless told each URL: Trame serves the
// test over http on loopback.
phpCAS::setFixedServiceURL($service);
phpCAS::setServerLoginURL($cas . '/login?service=' . urlencode($service));
phpCAS::setServerServiceValidateURL($cas . '/p3/serviceValidate');
phpCAS::setServerLogoutURL($cas . '/logout');
phpCAS::setNoCasServerValidation();
// Single logout from Trame: checked against no host list (the test's
// Trame is on this machine), the session named by the ticket destroyed.
phpCAS::handleLogoutRequests(false);

header('Content-Type: text/html; charset=utf-8');
header('Cache-Control: no-store');
if (isset($_GET['signed-out'])) {
    echo '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Signed out</title></head>';
    echo '<body><h1>Signed out of the application</h1></body></html>';
    exit;
}
if (isset($_GET['logout'])) {
    phpCAS::logout(['service' => $self . '/index.php?signed-out=1']);
}
phpCAS::forceAuthentication();

$attributes = phpCAS::getAttributes();
echo '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>phpCAS application</title></head><body>';
echo '<h1>Signed in</h1>';
echo '<p>user: <span id="user">' . htmlspecialchars(phpCAS::getUser()) . '</span></p><dl>';
foreach ($attributes as $name => $value) {
    $text = is_array($value) ? implode(' ', $value) : $value;
    echo '<dt>' . htmlspecialchars($name) . '</dt><dd id="attr-' . htmlspecialchars($name) . '">' . htmlspecialchars($text) . '</dd>';
}
echo '</dl><p><a href="/index.php?logout=1">Sign out</a></p></body></html>';
