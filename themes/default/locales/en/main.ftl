sign-in-title = Sign in
sign-in-intro = Sign in to continue to { $client }.
username-label = Username
password-label = Password
sign-in-button = Sign in
sign-in-failed = Incorrect username or password.
too-many-attempts = Too many attempts. Try again in a few minutes.
consent-title = Authorization
consent-intro = { $client } asks for access to your account { $user }:
consent-approve = Allow
consent-deny = Deny
consent-policy = { $client }'s privacy policy
consent-tos = { $client }'s terms of use
scope-openid = your identifier
scope-profile = your name and profile
scope-email = your email address
scope-phone = your phone number
scope-address = your postal address
scope-offline_access = continued access while you are signed out
scope-openid-help = An identifier of your account that lets the service recognise you when you come back. It contains neither your name nor your contact details.
scope-profile-help = Your given name, family name, username and language, as they are in your account.
scope-email-help = Your email address, and whether you have confirmed it.
scope-phone-help = Your phone number, and whether it has been confirmed.
scope-address-help = The postal address recorded in your account.
scope-offline_access-help = The service can keep getting the information above while you are not using it, until you withdraw its access from your account.
logout-title = Sign out
logout-question = Do you want to sign out?
logout-button = Sign out
logout-cancel = Cancel and stay signed in
logout-cancel-to = Cancel and go back to { $client }
signed-out-title = Signed out
signed-out-message = You are signed out.
back-to-service = Go back to { $client }
back-to-service-unnamed = Go back to the service
back-to-site = Go to the { $tenant } website
signing-out-title = Signing out
signing-out-message = Signing you out of the services you used…
signing-out-frame = Sign-out notice to a service
form-post-title = Redirecting
form-post-message = Returning to the service…
continue-button = Continue
error-title = Error
error-not-found = This page does not exist.
error-bad-request = The request is invalid.
error-internal = An internal error occurred. Try again later.
error-unavailable = The service is temporarily unavailable. Try again in a moment.
error-missing-client-id = The sign-in request does not name the service (client_id is missing).
error-unknown-client = The service asking you to sign in is unknown.
error-request-object = The service's request could not be verified.
error-federation-trust = This service could not be verified through the federation of trust it claims to belong to.
error-missing-redirect-uri = The sign-in request has no return address (redirect_uri is missing).
error-redirect-uri = The return address is not registered for this service.
error-duplicate-param = The sign-in request repeats a parameter.
error-param-too-long = The sign-in request has a parameter that is too long.
error-interaction-expired = This sign-in request has expired. Go back to the service and start again.
error-csrf = The form's security check failed. Go back to the service and start again.
error-logout-redirect = The return address after sign-out is not registered for this service.
error-logout-hint = The token given for sign-out is invalid.
error-sign-in-again = For your security, sign in again to change your account.
error-signed-out = You are signed out. Sign in again.
or = or
step-up-intro = This service asks for a stronger sign-in: use a passkey.
level-needed-title = A more secure sign-in is required
level-needed-message = This service asks for a more secure sign-in than the one you used. Any of these will do:
level-way-passkey = a passkey, unlocked with your fingerprint, face or PIN
level-way-password-totp = your password, followed by a code from your authenticator app (TOTP)
level-retry = Sign in another way
level-add-title = Add one now
level-add-intro = You can add one of these now. We will then send a link to your confirmed e-mail address: open it in this browser to confirm the new method, then sign in with it to continue.
level-add-passkey = Add a passkey
level-add-totp = Set up an authenticator app
level-mail-sent-title = Confirm from your mailbox
level-mail-sent = Added. A link has just been sent to your confirmed e-mail address: open it in this browser to confirm this method, then sign in with it to continue.
credential-confirmed = Confirmed: sign in with your new method to continue.
enrol-title = Add a passkey
enrol-intro = Your device will offer to create a passkey for this account. It counts in full once confirmed by the link we will e-mail you; you can then continue to { $client }.
enrol-intro-unnamed = Your device will offer to create a passkey for this account. It counts in full once confirmed by the link we will e-mail you.
enrol-back = Back to the other methods
account-disabled = This account is disabled. Contact your town hall or the service that manages it.
passkey-sign-in-button = Sign in with a passkey
passkey-failed = The passkey could not be used. Try again.
passkey-unsupported = This browser cannot use passkeys.
passkey-needs-script = Creating a passkey needs JavaScript in this browser.
passkey-unknown = This passkey is not registered here. Use another one, or a recovery code.
signup-link = Create an account
recover-link = Lost your passkey?
otp-title = Verification code
otp-intro = Enter the 6-digit code shown by your authenticator app.
otp-label = Code
otp-failed = This code is not valid. Wait for the next one and try again.
signup-title = Create an account
signup-intro = Your account is protected by a passkey: your device unlocks it with your fingerprint, face or PIN. No password to remember.
signup-username-help = 2 to 64 characters, no spaces.
signup-email-help = Optional: used only to help you recover your account.
signup-username-taken = This username is taken. Choose another one.
signup-username-invalid = A username has 2 to 64 characters and no spaces.
signup-button = Create my account with a passkey
signup-closed = This service does not accept new accounts here.
signup-invitation-needed = Creating an account here needs an invitation.
signup-invitation-invalid = This invitation is used or has expired.
email-label = E-mail address
recovery-codes-title = Recovery codes
recovery-codes-intro = Keep these codes somewhere safe (printed or in a password manager). Each one lets you into your account once if you lose your passkey. They are shown only now.
recovery-codes-saved = I have saved my codes, continue
recovery-codes-left = Unused codes left: { $count }.
recovery-codes-new = Make new recovery codes
recover-title = Recover your account
recover-code-title = With a recovery code
recover-code-label = Recovery code
recover-button = Recover my account
recover-email-title = By e-mail
recover-email-button = Send me a link
recover-email-confirm = Confirm to sign in and add a new passkey.
recovery-failed = This username and recovery code do not match.
recovery-mail-sent = If an account has this verified address, a link has been sent to it.
email-link-invalid = This link is used, expired or invalid.
email-verified-title = Address confirmed
email-verified = Your e-mail address is confirmed.
totp-title = Authenticator app
totp-intro = Scan this code with your authenticator app, then enter the code it shows.
totp-manual = Or enter this key by hand:
totp-enable = Turn on
totp-is-on = Sign-in with your password also asks for a code from your app.
totp-is-off = A code from an app can protect your password.
totp-set-up = Set up
totp-disable = Turn off the authenticator app
account-title = Your account
account-intro = Signed in as { $user }.
passkeys-title = Passkeys
passkeys-none = No passkey yet.
passkey-created = Added { $date }
passkey-last-used = last used { $date }
passkey-never-used = never used
passkey-model = { $model } (as reported by the device, unverified)
passkey-model-unknown = unknown device type
passkey-synced = synced
passkey-device-bound = on this device only
passkey-manage = Manage “{ $name }”
passkey-name-label = Name
passkey-rename = Rename
passkey-remove = Remove passkey “{ $name }”
passkey-last-warning = This is your only way to sign in. Without it you will need a recovery code.
passkey-last-confirm-label = I understand, remove it anyway
passkey-add = Add a passkey
passkey-used-now = used for this sign-in
passkey-default-name = Passkey – { $browser } on { $os }
passkey-default-name-one = Passkey – { $device }
password-title = Password
password-is-set = You can also sign in with a password.
password-not-set = You sign in without a password.
password-new-label = New password
password-help = At least 12 characters. A long phrase is best.
password-change = Change the password
password-set-button = Set a password
password-remove = Remove the password
email-title = E-mail
email-verified-state = confirmed
email-unverified-state = not confirmed yet
email-save = Save and send a confirmation link
sessions-title = Where you are signed in
session-since = since { $date }
session-current = this browser
session-end = Sign out there
passkey-added = The passkey was added.
passkey-renamed = The passkey was renamed.
passkey-removed = The passkey was removed.
passkey-last-confirm = This passkey is your only way to sign in: tick the box to confirm its removal.
password-set = The password was saved.
password-removed = The password was removed.
password-too-short = A password needs at least 12 characters.
password-last = The password is your only way to sign in: add a passkey first.
totp-enabled = The authenticator app is on.
totp-disabled = The authenticator app is off.
session-ended = That session was ended.
email-sent = A confirmation link was sent to this address.
email-invalid = This e-mail address is not valid.
recovered = You are signed in. Add a new passkey now so you do not need a recovery code next time.

# Sign-in with an account of another member of the federation
peers-link = Is your account with another local authority?
peers-title = Where is your account?
peers-intro = Sign in with the account you have with another local authority or trusted operator of { $tenant }'s federation.
peers-last = Your last choice on this device:
peers-continue = Continue with { $peer }
peers-search-label = Search for your local authority
peers-search-button = Search
peers-no-match = No local authority matches “{ $q }”.
peers-none = No other local authority is available at the moment.
peers-back = Back to sign-in
peer-sign-in-cancelled = The sign-in at the other local authority did not finish. Choose another way to sign in.
peer-sign-in-failed = The sign-in at the other local authority could not be verified. Try again or choose another way to sign in.
error-peer-unknown = This local authority is not one offered here.
error-peer-directory = The list of the federation's local authorities could not be read. Try again in a moment.
error-peer-sign-in = The sign-in at the other local authority could not start. Try again in a moment.
error-peer-expired = This sign-in has expired or was already used. Go back to the service and start again.
error-detail-label = Technical detail for the service:

# Credentials bound from a weaker session, and the mailed links that confirm
credential-limited = It was added after a sign-in with one factor, so it counts as one factor only: services asking for a two-factor sign-in will not accept it alone.
credential-upgrade-button = Confirm “{ $name }” by e-mail
upgrade-mail-sent = A link was sent to your confirmed address. Open it in this browser to finish.
upgrade-needs-email = Confirm an e-mail address first: the link is sent there.
credential-upgraded = Confirmed: this way of signing in now counts in full.
upgrade-title = Confirm your new way of signing in
upgrade-confirm = Confirm that you added this way of signing in. If you did not, do not confirm: change your password instead.
email-verify-title = Confirm your address
email-verify-confirm = Confirm that this e-mail address belongs to your account.
email-taken = This address is already confirmed for another account.
mail-link-sign-in-first = Sign in to your account in this browser, then open the link again.
mail-link-other-account = This link was sent for another account or another sign-in.
mail-link-confirm-button = Confirm
totp-failures-notice = { $count ->
    [one] A wrong authenticator code was entered for your account since you last came here. If it was not you, someone knows your password: change it.
   *[other] { $count } wrong authenticator codes were entered for your account since you last came here. If it was not you, someone knows your password: change it.
}

profile-title = Your identity
profile-given-name = Given name
profile-family-name = Family name
profile-save = Save
profile-saved = Your identity is saved.
profile-invalid = A name has at most 200 characters and no control characters.
profile-stale = Your account changed meanwhile: check your names below, then save again.
services-title = Connected services
services-none = You have not authorised any service.
services-help = Removing a service cuts its access to your account; it will ask for your agreement again next time.
service-since = authorised on { $date }
service-scopes = access to:
service-withdraw = Remove the access of { $name }
consent-withdrawn = The service's access is removed.
activity-title = Recent activity
activity-none = No activity recorded.
activity-failed = failed
activity-by-admin = by an administrator
activity-sign-in = Sign-in
activity-user-updated = Identity changed
activity-user-disabled = Account disabled
activity-user-enabled = Account enabled again
activity-user-sessions-ended = Sessions ended
activity-user-credentials-reset = Ways of signing in reset
activity-user-exported = Data downloaded
activity-consent-withdrawn = A service's access removed
activity-role-granted = Administration role granted
activity-role-revoked = Administration role removed
data-title = Your data
data-help = Download everything this service keeps about you (profile, passkeys, sessions, authorised services, activity) as a JSON file.
data-download = Download my data
delete-title = Delete my account
delete-help = Deletion is final: your profile, passkeys, password and authorisations are erased, you are signed out of every service, and your username can no longer be used to sign in. The security log keeps an anonymous record of the deletion.
delete-confirm-label = I understand that deleting my account is final.
delete-button = Delete my account
delete-unconfirmed = Tick the box to confirm the deletion.
delete-last-operator = This account is the installation's last operator: it cannot be deleted.
account-deleted-title = Account deleted
account-deleted-message = Your account and your data have been deleted. You are signed out.
activity-recovery-used = Account recovered
activity-passkey-added = Passkey added
activity-passkey-removed = Passkey removed
activity-password-set = Password set
activity-password-removed = Password removed
activity-totp-enabled = Two-step verification turned on
activity-totp-disabled = Two-step verification turned off
activity-recovery-codes-renewed = New recovery codes
activity-email-changed = E-mail address changed
activity-session-ended = Session ended
activity-consent-given = Access given to a service

## Administration console (<issuer>/admin)
console-title = Administration
console-nav = Administration
console-skip = Skip to content
console-nav-users = Accounts
console-nav-clients = Services
console-nav-keys = Signing keys
console-nav-audit = Audit log
console-nav-settings = Settings
console-nav-tenants = Tenants
console-forbidden = Your account has no administration role here. An operator can give you one (trame admin grant).
console-read-only = Your role may look, not change.
console-read-only-note = Your role (auditor) may look, not change.
console-operators-only = Only the installation's operators see this page.
console-invalid-form = This form holds a value that is not valid. Go back to the page and try again.
console-search = Search
console-filter = Filter
console-save = Save
console-next-page = Next page
console-yes = yes
console-no = no
console-none = none
console-username = Username
console-name = Name
console-email = E-mail address
console-status = Status
console-active = Active
console-disabled = Disabled
console-disabled-since = Disabled since { $date }
console-verified = verified
console-unverified = not verified
console-created = Created
console-credentials = Ways to sign in
console-credentials-summary = { $passkeys ->
    [0] no passkey
    [one] one passkey
   *[other] { $passkeys } passkeys
  }, password: { $password }, TOTP: { $totp }
console-roles = Roles
console-users-title = Accounts
console-users-search = Find an account
console-users-search-help = The start of a username, e-mail address, given or family name; case and accents are ignored.
console-users-found = Accounts starting with “{ $q }”
console-users-all = All accounts, by username
console-users-none = No account matches.
console-back-users = Back to the accounts
console-passkeys-none = No passkey.
console-sessions-title = Open sessions
console-sessions-none = No open session.
console-device = Device
console-since = From
console-until = Until
console-end-sessions = End all their sessions
console-trail-title = History
console-trail-all = This account's whole history
console-actions-title = Actions
console-disable = Disable the account
console-disable-help = The account can no longer sign in, its sessions end and its tokens stop working at once. You can enable it again.
console-enable = Enable the account
console-reset-title = Reset the ways to sign in
console-reset-help-mail = Removes the passkeys, password, TOTP and recovery codes, ends the sessions, and sends a recovery link to the person's verified address.
console-reset-help-no-mail = Removes the passkeys, password, TOTP and recovery codes and ends the sessions. This account has no verified address: give the person another way back afterwards (a temporary password with trame user set-password, or a verified address and the recovery page).
console-reset = Reset
console-delete-title = Delete the account
console-delete-help = Permanent deletion (GDPR): personal data is erased, sessions end, services are told. The audit log keeps an anonymous record.
console-type-to-confirm = To confirm, type “{ $name }”
console-delete-user = Delete permanently
console-user-disabled = The account is disabled.
console-user-enabled = The account is enabled again.
console-user-deleted = The account is deleted.
console-user-sessions-ended = Their sessions have ended.
console-user-reset-link-sent = The ways to sign in are removed and a recovery link is sent.
console-user-reset-no-address = The ways to sign in are removed. Without a verified address (or without mail) no link went out: give the person another way back.
console-last-operator = This is the installation's last operator: name another one first.
console-unconfirmed = The name typed does not match: nothing was changed.
console-clients-title = Services
console-clients-none = No service is registered.
console-client-new = Register a service
console-back-clients = Back to the services
console-client-id = Service identifier (client_id)
console-client-id-help = Letters, digits, dots, hyphens; it cannot change afterwards.
console-client-name = Name shown to people
console-client-kind = Kind
console-kind-web = Web application with a server
console-kind-web-help = It keeps a secret on its server (client_secret_basic); people sign in.
console-kind-public = Mobile or single-page application
console-kind-public-help = No secret, protected by PKCE; people sign in.
console-kind-service = Service without people
console-kind-service-help = A program calling APIs with its secret (client_credentials).
console-client-federation = registered through federation
console-redirect-uris = Redirect URIs (redirect_uris)
console-redirect-uris-help = One per line, matched exactly; https except on localhost.
console-logout-uris = Post-logout redirect URIs (optional)
console-scope = Allowed scopes (scope)
console-scope-help = Separated by spaces, for example: openid profile email
console-client-register = Register
console-client-invalid = The field “{ $field }” is not accepted.
console-client-created = Service “{ $id }” registered
console-secret-rotated = New secret for “{ $id }”
console-secret-once = Copy this secret now: it will never be shown again. Trame keeps only a digest of it.
console-client-secret = Service secret (client_secret)
console-client-see = See the service “{ $id }”
console-rotate-secret = Generate a new secret
console-rotate-secret-help = The previous secret stops working at once.
console-client-delete-title = Delete the service
console-client-delete-help = Its tokens stop working and people can no longer sign in to it.
console-client-delete = Delete the service
console-client-deleted = The service is deleted.
console-keys-title = Signing keys
console-keys-help = Tokens are signed by the active key; published keys are in the JWKS to verify tokens already issued.
console-key-id = Key id (kid)
console-key-alg = Algorithm
console-key-signs-from = Signs from
console-key-next = published, not active yet
console-key-active = active
console-key-retiring = retiring (verification only)
console-key-retired = retired
console-key-rotate-title = Replace the key
console-key-delay = The new key signs
console-key-delay-hours = { $hours ->
    [0] now
   *[other] in { $hours } hours
  }
console-key-rotate = Replace the key
console-key-rotated = A new key is published.
console-audit-title = Audit log
console-audit-invalid = A date is not valid, or the start date is after the end date.
console-when = Date
console-actor = By
console-action = Action
console-target = Target
console-outcome = Outcome
console-address = Address
console-success = success
console-failure = failure
console-records-none = No event.
console-settings-title = Settings
console-slug = Slug
console-issuer = Issuer
console-display-name = Display name
console-display-name-invalid = The display name has 1 to 200 printable characters.
console-settings-saved = The settings are saved.
console-settings-stale = The settings changed meanwhile: here they are as they are now; nothing was overwritten.
console-policies-title = Policies
console-policies-help = They change what people may do: the operator changes them with “trame tenant set { $slug }”.
console-policy-registration = Sign-up
console-policy-dynamic-registration = Dynamic client registration
console-policy-usernames = Usernames
console-policy-credential-upgrade = Credential upgrade
console-policy-acr-rules = Assurance levels
console-tenants-title = Tenants
console-tenant-users = Accounts
console-tenant-clients = Services

## Header and footer: the local authority and the mandatory mentions
brand-home = home page of the local authority's website
footer-legal-notice = Legal notice
footer-privacy = Personal data
footer-accessibility-full = Accessibility: fully compliant
footer-accessibility-partial = Accessibility: partially compliant
footer-accessibility-none = Accessibility: not compliant
footer-contact = Contact
signup-privacy-notice = { $tenant } uses your username and e-mail address so that you can sign in to its online services. They are passed on to a service only with your consent.
footer-transparency = Transparency

## The public transparency page
transparency-title = Transparency
transparency-intro = These figures count transactions (sign-ins, tokens issued, exchanges between instances), never people. A number from 1 to 9 is shown as “< 10”.
transparency-dependency-title = Dependency on providers outside Europe
transparency-within-eea = { $percent } % of the transactions of the last twelve months involved no provider established outside the European Union and the European Economic Area.
transparency-no-transactions = No transactions in the last twelve months.
transparency-percent = { $percent } %
transparency-fewer-than-ten = < 10
transparency-fewer-than-ten-long = from 1 to 9
transparency-months-title = Transactions per month
transparency-days-title = Transactions per day (last 31 days)
transparency-col-period = Period
transparency-col-sign_in_passkey = Sign-ins with a passkey
transparency-col-sign_in_password = Sign-ins with a password
transparency-col-sign_in_peer = Sign-ins through a partner instance
transparency-col-sign_in_upstream = Sign-ins through an identity provider
transparency-col-sign_in_other = Other sign-ins (account recovery)
transparency-col-tokens = Tokens issued
transparency-col-federation_in = Federation exchanges received
transparency-col-federation_out = Federation exchanges sent
transparency-col-mails = E-mails sent
transparency-col-services = Services used
transparency-col-within-eea = With no provider outside the EU/EEA
transparency-providers-title = Providers declared by the operator
transparency-providers-none = The operator has declared no provider.
transparency-col-provider = Provider
transparency-col-country = Country
transparency-col-role = Role
transparency-col-eea = In the EU/EEA
transparency-yes = Yes
transparency-no = No
transparency-hosts-title = Servers contacted by the installation (last 31 days)
transparency-hosts-none = No outside server was contacted.
transparency-col-host = Server
transparency-col-requests = Requests
transparency-col-declared = Origin
transparency-configured = Configured
transparency-unexpected = Neither configured nor declared
transparency-json = These figures as JSON

## E-mails (plain text; $name: the collectivité, $link: the link to open)
mail-verify-subject = { $name }: confirm your address
mail-verify-body =
    Hello,

    To confirm your address for { $name }, open this link in the browser where you are signed in to your account:
    { $link }

    If you did not ask for this, ignore this message.
mail-recovery-subject = { $name }: account recovery
mail-recovery-body =
    Hello,

    To get back into your { $name } account, open this link within 30 minutes:
    { $link }

    If you did not ask for anything, ignore this message: your account stays protected.
mail-reset-subject = { $name }: new ways of signing in
mail-reset-body =
    Hello,

    The administrators of { $name } removed the ways of signing in to your account (passkeys, password, two-step verification, recovery codes). To sign in and add a new passkey, open this link within 30 minutes:
    { $link }

    If you did not expect this message, contact { $name }.
mail-upgrade-subject = { $name }: confirm your way of signing in
mail-upgrade-body =
    Hello,

    To make your new way of signing in to { $name } count in full, open this link within 30 minutes, in the browser where you added it:
    { $link }

    If you added nothing, someone may know your password: change it and remove that way of signing in.

## Dates as pages show them ($day, $month: the month's name, $year; $date, $time in 24-hour form, UTC)
date-day = { $day } { $month } { $year }
date-time = { $date }, { $time } (UTC)
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## The language switcher (the name is each language's own)
language-name = English
language-switcher-label = Language

## Accessibility: text alternatives and warnings (RGAA 1.1, 13.2)
totp-qr-alt = QR code to scan with your authenticator app; the key to type in by hand is given below.
new-window = new window
