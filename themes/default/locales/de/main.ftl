sign-in-title = Anmeldung
sign-in-intro = Melden Sie sich an, um mit { $client } fortzufahren.
username-label = Anmeldename
password-label = Passwort
sign-in-button = Anmelden
sign-in-failed = Anmeldename oder Passwort ist falsch.
too-many-attempts = Zu viele Versuche. Versuchen Sie es in einigen Minuten erneut.
consent-title = Zugriff erlauben
consent-intro = { $client } bittet um Zugriff auf Ihr Konto { $user }:
consent-approve = Erlauben
consent-deny = Ablehnen
consent-policy = Datenschutzerklärung von { $client }
consent-tos = Nutzungsbedingungen von { $client }
scope-openid = Ihre Kennung
scope-profile = Ihr Name und Ihr Profil
scope-email = Ihre E-Mail-Adresse
scope-phone = Ihre Telefonnummer
scope-address = Ihre Postanschrift
scope-offline_access = dauerhafter Zugriff, auch wenn Sie nicht angemeldet sind
scope-openid-help = Eine Kennung Ihres Kontos, an der der Dienst Sie wiedererkennt, wenn Sie zurückkehren. Sie enthält weder Ihren Namen noch Ihre Kontaktdaten.
scope-profile-help = Ihr Vorname, Ihr Nachname, Ihr Anmeldename und Ihre Sprache, wie sie in Ihrem Konto stehen.
scope-email-help = Ihre E-Mail-Adresse und ob Sie sie bestätigt haben.
scope-phone-help = Ihre Telefonnummer und ob sie bestätigt wurde.
scope-address-help = Die in Ihrem Konto hinterlegte Postanschrift.
scope-offline_access-help = Der Dienst kann die oben genannten Angaben auch dann weiter abrufen, wenn Sie ihn gerade nicht nutzen, bis Sie ihm den Zugriff in Ihrem Konto entziehen.
logout-title = Abmeldung
logout-question = Möchten Sie sich abmelden?
logout-button = Abmelden
logout-cancel = Abbrechen und angemeldet bleiben
logout-cancel-to = Abbrechen und zurück zu { $client }
signed-out-title = Abgemeldet
signed-out-message = Sie sind abgemeldet.
back-to-service = Zurück zu { $client }
back-to-service-unnamed = Zurück zum Dienst
back-to-site = Zur Website von { $tenant }
signing-out-title = Abmeldung läuft
signing-out-message = Sie werden von den genutzten Diensten abgemeldet…
signing-out-frame = Abmeldehinweis an einen Dienst
form-post-title = Weiterleitung
form-post-message = Zurück zum Dienst…
continue-button = Weiter
error-title = Fehler
error-not-found = Diese Seite existiert nicht.
error-bad-request = Die Anfrage ist ungültig.
error-internal = Ein interner Fehler ist aufgetreten. Versuchen Sie es später erneut.
error-unavailable = Der Dienst ist vorübergehend nicht verfügbar. Versuchen Sie es in wenigen Augenblicken erneut.
error-missing-client-id = Die Anmeldeanfrage nennt keinen Dienst (client_id fehlt).
error-unknown-client = Der Dienst, der die Anmeldung anfordert, ist unbekannt.
error-request-object = Die Anfrage des Dienstes konnte nicht überprüft werden.
error-federation-trust = Dieser Dienst konnte bei der Vertrauensföderation, der er nach eigener Angabe angehört, nicht überprüft werden.
error-missing-redirect-uri = Die Anmeldeanfrage nennt keine Rücksprungadresse (redirect_uri fehlt).
error-redirect-uri = Die Rücksprungadresse ist für diesen Dienst nicht registriert.
error-duplicate-param = Die Anmeldeanfrage enthält einen Parameter doppelt.
error-param-too-long = Die Anmeldeanfrage enthält einen zu langen Parameter.
error-interaction-expired = Diese Anmeldeanfrage ist abgelaufen. Kehren Sie zum Dienst zurück und beginnen Sie erneut.
error-csrf = Die Sicherheitsprüfung des Formulars ist fehlgeschlagen. Kehren Sie zum Dienst zurück und beginnen Sie erneut.
error-logout-redirect = Die Rücksprungadresse nach der Abmeldung ist für diesen Dienst nicht registriert.
error-logout-hint = Das für die Abmeldung übermittelte Token ist ungültig.
error-sign-in-again = Melden Sie sich aus Sicherheitsgründen erneut an, um Ihr Konto zu ändern.
error-signed-out = Sie sind abgemeldet. Melden Sie sich erneut an.
or = oder
step-up-intro = Dieser Dienst verlangt eine sicherere Anmeldung: Verwenden Sie einen Passkey.
level-needed-title = Sicherere Anmeldung erforderlich
level-needed-message = Dieser Dienst verlangt eine sicherere Anmeldung als die, die Sie verwendet haben. Jede dieser Methoden ist geeignet:
level-way-passkey = ein Passkey, entsperrt mit Ihrem Fingerabdruck, Ihrem Gesicht oder Ihrer PIN
level-way-password-totp = Ihr Passwort, gefolgt von einem Code aus Ihrer Authenticator-App (TOTP)
level-retry = Auf andere Weise anmelden
level-add-title = Jetzt eine hinzufügen
level-add-intro = Sie können eine dieser Methoden jetzt hinzufügen. Wir senden Ihnen dann einen Link an Ihre bestätigte E-Mail-Adresse: Öffnen Sie ihn in diesem Browser, um die neue Methode zu bestätigen, und melden Sie sich dann damit an, um fortzufahren.
level-add-passkey = Passkey hinzufügen
level-add-totp = Authenticator-App einrichten
level-mail-sent-title = Bestätigen Sie in Ihrem Postfach
level-mail-sent = Hinzugefügt. Soeben wurde ein Link an Ihre bestätigte E-Mail-Adresse gesendet: Öffnen Sie ihn in diesem Browser, um diese Methode zu bestätigen, und melden Sie sich dann damit an, um fortzufahren.
credential-confirmed = Bestätigt: Melden Sie sich mit Ihrer neuen Methode an, um fortzufahren.
enrol-title = Passkey hinzufügen
enrol-intro = Ihr Gerät bietet Ihnen an, einen Passkey für dieses Konto zu erstellen. Er zählt voll, sobald er über den Link bestätigt ist, den wir Ihnen per E-Mail senden; dann können Sie zu { $client } weitergehen.
enrol-intro-unnamed = Ihr Gerät bietet Ihnen an, einen Passkey für dieses Konto zu erstellen. Er zählt voll, sobald er über den Link bestätigt ist, den wir Ihnen per E-Mail senden.
enrol-back = Zurück zu den anderen Methoden
account-disabled = Dieses Konto ist deaktiviert. Wenden Sie sich an Ihr Rathaus oder an die Stelle, die es verwaltet.
passkey-sign-in-button = Mit einem Passkey anmelden
passkey-failed = Der Passkey konnte nicht verwendet werden. Versuchen Sie es erneut.
passkey-unsupported = Dieser Browser kann keine Passkeys verwenden.
passkey-needs-script = Zum Erstellen eines Passkeys wird in diesem Browser JavaScript benötigt.
passkey-unknown = Dieser Passkey ist hier nicht registriert. Verwenden Sie einen anderen Passkey oder einen Wiederherstellungscode.
signup-link = Konto erstellen
recover-link = Passkey verloren?
otp-title = Bestätigungscode
otp-intro = Geben Sie den 6-stelligen Code ein, den Ihre Authenticator-App anzeigt.
otp-label = Code
otp-failed = Dieser Code ist ungültig. Warten Sie auf den nächsten Code und versuchen Sie es erneut.
signup-title = Konto erstellen
signup-intro = Ihr Konto ist durch einen Passkey geschützt: Ihr Gerät entsperrt ihn mit Ihrem Fingerabdruck, Ihrem Gesicht oder Ihrer PIN. Sie müssen sich kein Passwort merken.
signup-username-help = 2 bis 64 Zeichen, ohne Leerzeichen.
signup-email-help = Optional: Die Adresse dient nur dazu, Ihnen bei der Wiederherstellung Ihres Kontos zu helfen.
signup-username-taken = Dieser Anmeldename ist bereits vergeben. Wählen Sie einen anderen.
signup-username-invalid = Ein Anmeldename hat 2 bis 64 Zeichen und keine Leerzeichen.
signup-button = Mein Konto mit einem Passkey erstellen
signup-closed = Dieser Dienst nimmt hier keine neuen Konten an.
signup-invitation-needed = Um hier ein Konto zu erstellen, benötigen Sie eine Einladung.
signup-invitation-invalid = Diese Einladung wurde bereits verwendet oder ist abgelaufen.
email-label = E-Mail-Adresse
recovery-codes-title = Wiederherstellungscodes
recovery-codes-intro = Bewahren Sie diese Codes sicher auf (auf Papier oder in einem Passwort-Manager). Mit jedem Code können Sie einmal auf Ihr Konto zugreifen, falls Sie Ihren Passkey verlieren. Die Codes werden nur jetzt angezeigt.
recovery-codes-saved = Ich habe meine Codes notiert, weiter
recovery-codes-left = Verbleibende unbenutzte Codes: { $count }.
recovery-codes-new = Neue Wiederherstellungscodes erstellen
recover-title = Konto wiederherstellen
recover-code-title = Mit einem Wiederherstellungscode
recover-code-label = Wiederherstellungscode
recover-button = Mein Konto wiederherstellen
recover-email-title = Per E-Mail
recover-email-button = Link an mich senden
recover-email-confirm = Bestätigen Sie, um sich anzumelden und einen neuen Passkey hinzuzufügen.
recovery-failed = Dieser Anmeldename und dieser Wiederherstellungscode passen nicht zusammen.
recovery-mail-sent = Wenn diese Adresse für ein Konto bestätigt ist, wurde ein Link an sie gesendet.
email-link-invalid = Dieser Link wurde bereits verwendet, ist abgelaufen oder ist ungültig.
email-verified-title = Adresse bestätigt
email-verified = Ihre E-Mail-Adresse ist bestätigt.
totp-title = Authenticator-App
totp-intro = Scannen Sie diesen Code mit Ihrer Authenticator-App und geben Sie dann den Code ein, den die App anzeigt.
totp-manual = Oder geben Sie diesen Schlüssel manuell ein:
totp-enable = Aktivieren
totp-is-on = Bei der Anmeldung mit Passwort wird zusätzlich ein Code aus Ihrer App abgefragt.
totp-is-off = Ein Code aus einer App kann Ihr Passwort zusätzlich schützen.
totp-set-up = Einrichten
totp-disable = Authenticator-App deaktivieren
account-title = Ihr Konto
account-intro = Angemeldet als { $user }.
passkeys-title = Passkeys
passkeys-none = Noch kein Passkey vorhanden.
passkey-created = Hinzugefügt am { $date }
passkey-last-used = zuletzt verwendet am { $date }
passkey-never-used = nie verwendet
passkey-model = { $model } (laut Gerät, nicht geprüft)
passkey-model-unknown = unbekannter Gerätetyp
passkey-synced = synchronisiert
passkey-device-bound = nur auf diesem Gerät
passkey-manage = „{ $name }“ verwalten
passkey-name-label = Name
passkey-rename = Umbenennen
passkey-remove = Passkey „{ $name }“ löschen
passkey-last-warning = Dies ist Ihre einzige Anmeldemethode. Ohne diesen Passkey benötigen Sie einen Wiederherstellungscode.
passkey-last-confirm-label = Ich habe verstanden, trotzdem löschen
passkey-add = Passkey hinzufügen
passkey-used-now = für diese Anmeldung verwendet
passkey-default-name = Passkey – { $browser } auf { $os }
passkey-default-name-one = Passkey – { $device }
password-title = Passwort
password-is-set = Sie können sich auch mit einem Passwort anmelden.
password-not-set = Sie melden sich ohne Passwort an.
password-new-label = Neues Passwort
password-help = Mindestens 12 Zeichen. Ideal ist ein langer Satz.
password-change = Passwort ändern
password-set-button = Passwort festlegen
password-remove = Passwort löschen
email-title = E-Mail
email-verified-state = bestätigt
email-unverified-state = noch nicht bestätigt
email-save = Speichern und Bestätigungslink senden
sessions-title = Wo Sie angemeldet sind
session-since = seit { $date }
session-current = dieser Browser
session-end = Abmelden
passkey-added = Der Passkey wurde hinzugefügt.
passkey-renamed = Der Passkey wurde umbenannt.
passkey-removed = Der Passkey wurde gelöscht.
passkey-last-confirm = Dieser Passkey ist Ihre einzige Anmeldemethode: Setzen Sie das Häkchen, um das Löschen zu bestätigen.
password-set = Das Passwort wurde gespeichert.
password-removed = Das Passwort wurde gelöscht.
password-too-short = Ein Passwort muss mindestens 12 Zeichen lang sein.
password-last = Das Passwort ist Ihre einzige Anmeldemethode: Fügen Sie zuerst einen Passkey hinzu.
totp-enabled = Die Authenticator-App ist aktiviert.
totp-disabled = Die Authenticator-App ist deaktiviert.
session-ended = Diese Sitzung wurde beendet.
email-sent = Ein Bestätigungslink wurde an diese Adresse gesendet.
email-invalid = Diese E-Mail-Adresse ist ungültig.
recovered = Sie sind angemeldet. Fügen Sie jetzt einen neuen Passkey hinzu, damit Sie keinen Wiederherstellungscode mehr benötigen.

# Anmeldung mit einem Konto einer anderen Kommune der Föderation
peers-link = Ist Ihr Konto bei einer anderen Kommune?
peers-title = Wo ist Ihr Konto?
peers-intro = Melden Sie sich mit dem Konto an, das Sie bei einer anderen Kommune oder einem anderen vertrauenswürdigen Betreiber der Föderation von { $tenant } haben.
peers-last = Ihre letzte Auswahl auf diesem Gerät:
peers-continue = Weiter mit { $peer }
peers-search-label = Ihre Kommune suchen
peers-search-button = Suchen
peers-no-match = Keine Kommune passt zu „{ $q }“.
peers-none = Derzeit ist keine andere Kommune verfügbar.
peers-back = Zurück zur Anmeldung
peer-sign-in-cancelled = Die Anmeldung bei der anderen Kommune wurde nicht abgeschlossen. Wählen Sie eine andere Anmeldemöglichkeit.
peer-sign-in-failed = Die Anmeldung bei der anderen Kommune konnte nicht überprüft werden. Versuchen Sie es erneut oder wählen Sie eine andere Anmeldemöglichkeit.
error-peer-unknown = Diese Kommune gehört nicht zu den hier angebotenen.
error-peer-directory = Die Liste der Kommunen der Föderation konnte nicht gelesen werden. Versuchen Sie es in wenigen Augenblicken erneut.
error-peer-sign-in = Die Anmeldung bei der anderen Kommune konnte nicht gestartet werden. Versuchen Sie es in wenigen Augenblicken erneut.
error-peer-expired = Diese Anmeldung ist abgelaufen oder wurde bereits verwendet. Kehren Sie zum Dienst zurück und beginnen Sie erneut.
error-detail-label = Technisches Detail für den Dienst (auf Englisch):

# Anmeldemethoden, die in einer schwächer gesicherten Sitzung hinzugefügt wurden, und Bestätigungslinks
credential-limited = Diese Anmeldemethode wurde nach einer Anmeldung mit nur einem Faktor hinzugefügt: Sie zählt nur als ein Faktor, und Dienste, die eine Anmeldung mit zwei Faktoren verlangen, akzeptieren sie nicht allein.
credential-upgrade-button = „{ $name }“ per E-Mail bestätigen
upgrade-mail-sent = Ein Link wurde an Ihre bestätigte Adresse gesendet. Öffnen Sie ihn in diesem Browser, um den Vorgang abzuschließen.
upgrade-needs-email = Bestätigen Sie zuerst eine E-Mail-Adresse: Der Link wird an diese Adresse gesendet.
credential-upgraded = Bestätigt: Diese Anmeldemethode zählt jetzt vollständig.
upgrade-title = Bestätigen Sie Ihre neue Anmeldemethode
upgrade-confirm = Bestätigen Sie, dass Sie diese Anmeldemethode hinzugefügt haben. Falls nicht, bestätigen Sie nicht: Ändern Sie stattdessen Ihr Passwort.
email-verify-title = Bestätigen Sie Ihre Adresse
email-verify-confirm = Bestätigen Sie, dass diese E-Mail-Adresse zu Ihrem Konto gehört.
email-taken = Diese Adresse ist bereits für ein anderes Konto bestätigt.
mail-link-sign-in-first = Melden Sie sich in diesem Browser bei Ihrem Konto an und öffnen Sie den Link dann erneut.
mail-link-other-account = Dieser Link wurde für ein anderes Konto oder eine andere Anmeldung gesendet.
mail-link-confirm-button = Bestätigen
totp-failures-notice = { $count ->
    [one] Seit Ihrem letzten Besuch wurde für Ihr Konto ein falscher App-Code eingegeben. Wenn Sie das nicht waren, kennt jemand Ihr Passwort: Ändern Sie es.
   *[other] Seit Ihrem letzten Besuch wurden für Ihr Konto { $count } falsche App-Codes eingegeben. Wenn Sie das nicht waren, kennt jemand Ihr Passwort: Ändern Sie es.
}

profile-title = Ihre persönlichen Angaben
profile-given-name = Vorname
profile-family-name = Nachname
profile-save = Speichern
profile-saved = Ihre persönlichen Angaben wurden gespeichert.
profile-invalid = Ein Name hat höchstens 200 Zeichen und keine Steuerzeichen.
profile-stale = Ihr Konto wurde inzwischen geändert: Prüfen Sie unten Ihren Vor- und Nachnamen und speichern Sie erneut.
services-title = Verbundene Dienste
services-none = Sie haben keinem Dienst Zugriff erlaubt.
services-help = Wenn Sie einen Dienst entfernen, verliert er den Zugriff auf Ihr Konto; beim nächsten Mal bittet er Sie erneut um Ihre Zustimmung.
service-since = erlaubt am { $date }
service-scopes = Zugriff auf:
service-withdraw = Zugriff von { $name } entziehen
consent-withdrawn = Der Zugriff des Dienstes wurde entzogen.
activity-title = Letzte Aktivitäten
activity-none = Keine Aktivitäten erfasst.
activity-failed = fehlgeschlagen
activity-by-admin = durch die Administration
activity-sign-in = Anmeldung
activity-user-updated = Persönliche Angaben geändert
activity-user-disabled = Konto deaktiviert
activity-user-enabled = Konto wieder aktiviert
activity-user-sessions-ended = Sitzungen beendet
activity-user-credentials-reset = Anmeldemethoden zurückgesetzt
activity-user-exported = Daten heruntergeladen
activity-consent-withdrawn = Zugriff eines Dienstes entzogen
activity-role-granted = Verwaltungsrolle zugewiesen
activity-role-revoked = Verwaltungsrolle entzogen
data-title = Ihre Daten
data-help = Laden Sie alles, was dieser Dienst über Sie speichert (Profil, Passkeys, Sitzungen, erlaubte Dienste, Aktivitäten), als JSON-Datei herunter.
data-download = Meine Daten herunterladen
delete-title = Mein Konto löschen
delete-help = Das Löschen ist endgültig: Ihr Profil, Ihre Passkeys, Ihr Passwort und Ihre Zugriffserlaubnisse werden gelöscht, Sie werden von allen Diensten abgemeldet, und Ihr Anmeldename kann nicht mehr zur Anmeldung verwendet werden. Das Sicherheitsprotokoll behält einen anonymen Eintrag über die Löschung.
delete-confirm-label = Ich habe verstanden, dass das Löschen meines Kontos endgültig ist.
delete-button = Mein Konto löschen
delete-unconfirmed = Setzen Sie das Häkchen, um das Löschen zu bestätigen.
delete-last-operator = Dieses Konto ist das letzte mit Betreiberrolle in dieser Installation: Es kann nicht gelöscht werden.
account-deleted-title = Konto gelöscht
account-deleted-message = Ihr Konto und Ihre Daten wurden gelöscht. Sie sind abgemeldet.
activity-recovery-used = Konto wiederhergestellt
activity-passkey-added = Passkey hinzugefügt
activity-passkey-removed = Passkey entfernt
activity-password-set = Passwort festgelegt
activity-password-removed = Passwort entfernt
activity-totp-enabled = Zwei-Faktor-Authentifizierung aktiviert
activity-totp-disabled = Zwei-Faktor-Authentifizierung deaktiviert
activity-recovery-codes-renewed = Neue Wiederherstellungscodes
activity-email-changed = E-Mail-Adresse geändert
activity-session-ended = Sitzung beendet
activity-consent-given = Zugriff für einen Dienst erlaubt

## Verwaltungskonsole (<issuer>/admin)
console-title = Verwaltung
console-nav = Verwaltung
console-skip = Zum Inhalt springen
console-nav-users = Konten
console-nav-clients = Dienste
console-nav-keys = Signaturschlüssel
console-nav-audit = Audit-Protokoll
console-nav-settings = Einstellungen
console-nav-tenants = Kommunen
console-forbidden = Ihr Konto hat hier keine Verwaltungsrolle. Eine Person mit Betreiberrolle kann Ihnen eine zuweisen (trame admin grant).
console-read-only = Ihre Rolle erlaubt das Einsehen, nicht das Ändern.
console-read-only-note = Ihre Rolle (Audit) erlaubt das Einsehen, nicht das Ändern.
console-operators-only = Nur Personen mit Betreiberrolle in dieser Installation sehen diese Seite.
console-invalid-form = Dieses Formular enthält einen ungültigen Wert. Kehren Sie zur Seite zurück und beginnen Sie erneut.
console-search = Suchen
console-filter = Filtern
console-save = Speichern
console-next-page = Nächste Seite
console-yes = ja
console-no = nein
console-none = keine
console-username = Anmeldename
console-name = Name
console-email = E-Mail-Adresse
console-status = Status
console-active = Aktiv
console-disabled = Deaktiviert
console-disabled-since = Deaktiviert seit { $date }
console-verified = verifiziert
console-unverified = nicht verifiziert
console-created = Erstellt am
console-credentials = Anmeldemethoden
console-credentials-summary = { $passkeys ->
    [0] kein Passkey
    [one] ein Passkey
   *[other] { $passkeys } Passkeys
  }, Passwort: { $password }, TOTP: { $totp }
console-roles = Rollen
console-users-title = Konten
console-users-search = Konto suchen
console-users-search-help = Der Anfang eines Anmeldenamens, einer E-Mail-Adresse, eines Vor- oder Nachnamens; Groß- und Kleinschreibung sowie Akzente werden nicht berücksichtigt.
console-users-found = Konten, die mit „{ $q }“ beginnen
console-users-all = Alle Konten, nach Anmeldename
console-users-none = Kein Konto gefunden.
console-back-users = Zurück zu den Konten
console-passkeys-none = Kein Passkey.
console-sessions-title = Offene Sitzungen
console-sessions-none = Keine offene Sitzung.
console-device = Gerät
console-since = Von
console-until = Bis
console-end-sessions = Alle Sitzungen dieses Kontos beenden
console-trail-title = Verlauf
console-trail-all = Gesamter Verlauf dieses Kontos
console-actions-title = Aktionen
console-disable = Konto deaktivieren
console-disable-help = Mit dem Konto ist keine Anmeldung mehr möglich, seine Sitzungen werden beendet und seine Tokens sind sofort ungültig. Sie können es wieder aktivieren.
console-enable = Konto wieder aktivieren
console-reset-title = Anmeldemethoden zurücksetzen
console-reset-help-mail = Löscht die Passkeys, das Passwort, TOTP und die Wiederherstellungscodes, beendet die Sitzungen und sendet einen Wiederherstellungslink an die verifizierte Adresse der Person.
console-reset-help-no-mail = Löscht die Passkeys, das Passwort, TOTP und die Wiederherstellungscodes und beendet die Sitzungen. Dieses Konto hat keine verifizierte Adresse: Geben Sie der Person danach eine andere Möglichkeit, wieder Zugang zu erhalten (ein vorläufiges Passwort mit trame user set-password oder eine verifizierte Adresse und die Wiederherstellungsseite).
console-reset = Zurücksetzen
console-delete-title = Konto löschen
console-delete-help = Endgültige Löschung (DSGVO): Die personenbezogenen Daten werden gelöscht, die Sitzungen beendet und die Dienste benachrichtigt. Das Audit-Protokoll behält einen anonymen Eintrag.
console-type-to-confirm = Geben Sie zur Bestätigung „{ $name }“ ein
console-delete-user = Endgültig löschen
console-user-disabled = Das Konto ist deaktiviert.
console-user-enabled = Das Konto ist wieder aktiviert.
console-user-deleted = Das Konto ist gelöscht.
console-user-sessions-ended = Die Sitzungen des Kontos sind beendet.
console-user-reset-link-sent = Die Anmeldemethoden sind gelöscht und ein Wiederherstellungslink wurde gesendet.
console-user-reset-no-address = Die Anmeldemethoden sind gelöscht. Ohne verifizierte Adresse (oder ohne E-Mail-Versand) wurde kein Link gesendet: Geben Sie der Person eine andere Möglichkeit, wieder Zugang zu erhalten.
console-last-operator = Dies ist das letzte Konto mit Betreiberrolle in dieser Installation: Weisen Sie die Rolle zuerst einem weiteren Konto zu.
console-unconfirmed = Der eingegebene Name stimmt nicht überein: Es wurde nichts geändert.
console-clients-title = Dienste
console-clients-none = Kein Dienst registriert.
console-client-new = Dienst registrieren
console-back-clients = Zurück zu den Diensten
console-client-id = Dienstkennung (client_id)
console-client-id-help = Buchstaben, Ziffern, Punkte, Bindestriche; sie kann danach nicht mehr geändert werden.
console-client-name = Name, der den Nutzenden angezeigt wird
console-client-kind = Typ
console-kind-web = Webanwendung mit Server
console-kind-web-help = Sie bewahrt ein Geheimnis auf ihrem Server auf (client_secret_basic); Anmeldung von Nutzenden.
console-kind-public = Mobile App oder Single-Page-Anwendung
console-kind-public-help = Ohne Geheimnis, durch PKCE geschützt; Anmeldung von Nutzenden.
console-kind-service = Dienst ohne Nutzende
console-kind-service-help = Ein Programm, das mit seinem Geheimnis APIs aufruft (client_credentials).
console-client-federation = über die Föderation registriert
console-redirect-uris = Rücksprungadressen (redirect_uris)
console-redirect-uris-help = Eine pro Zeile, exakter Vergleich; https ist Pflicht, außer für localhost.
console-logout-uris = Rücksprungadressen nach der Abmeldung (optional)
console-scope = Erlaubte Berechtigungsbereiche (scope)
console-scope-help = Durch Leerzeichen getrennt, zum Beispiel: openid profile email
console-client-register = Registrieren
console-client-invalid = Das Feld „{ $field }“ wird nicht akzeptiert.
console-client-created = Dienst „{ $id }“ registriert
console-secret-rotated = Neues Geheimnis für „{ $id }“
console-secret-once = Kopieren Sie dieses Geheimnis jetzt: Es wird nie wieder angezeigt. Trame speichert davon nur einen Hashwert.
console-client-secret = Dienstgeheimnis (client_secret)
console-client-see = Dienst „{ $id }“ anzeigen
console-rotate-secret = Neues Geheimnis erzeugen
console-rotate-secret-help = Das bisherige Geheimnis ist sofort ungültig.
console-client-delete-title = Dienst löschen
console-client-delete-help = Seine Tokens werden ungültig, und Nutzende können sich dort nicht mehr anmelden.
console-client-delete = Dienst löschen
console-client-deleted = Der Dienst ist gelöscht.
console-keys-title = Signaturschlüssel
console-keys-help = Tokens werden mit dem aktiven Schlüssel signiert; die veröffentlichten Schlüssel stehen im JWKS, damit bereits ausgestellte Tokens geprüft werden können.
console-key-id = Kennung (kid)
console-key-alg = Algorithmus
console-key-signs-from = Signiert ab
console-key-next = veröffentlicht, noch nicht aktiv
console-key-active = aktiv
console-key-retiring = auslaufend (nur Prüfung)
console-key-retired = außer Betrieb
console-key-rotate-title = Schlüssel ersetzen
console-key-delay = Der neue Schlüssel signiert
console-key-delay-hours = { $hours ->
    [0] sofort
   *[other] in { $hours } Stunden
  }
console-key-rotate = Schlüssel ersetzen
console-key-rotated = Ein neuer Schlüssel wurde veröffentlicht.
console-audit-title = Audit-Protokoll
console-audit-invalid = Ein Datum ist ungültig, oder das Anfangsdatum liegt nach dem Enddatum.
console-when = Datum
console-actor = Ausgeführt von
console-action = Aktion
console-target = Ziel
console-outcome = Ergebnis
console-address = Adresse
console-success = erfolgreich
console-failure = fehlgeschlagen
console-records-none = Keine Ereignisse.
console-settings-title = Einstellungen
console-slug = Kennung
console-issuer = Aussteller (issuer)
console-display-name = Anzeigename
console-display-name-invalid = Der Anzeigename hat 1 bis 200 druckbare Zeichen.
console-settings-saved = Die Einstellungen wurden gespeichert.
console-settings-stale = Die Einstellungen wurden inzwischen geändert: Hier ist ihr aktueller Stand; nichts wurde überschrieben.
console-policies-title = Regeln
console-policies-help = Sie bestimmen, was Nutzende tun können: Personen mit Betreiberrolle ändern sie mit „trame tenant set { $slug }“.
console-policy-registration = Registrierung
console-policy-dynamic-registration = Dynamische Registrierung von Diensten
console-policy-usernames = Anmeldenamen
console-policy-credential-upgrade = Aufwertung von Anmeldemethoden
console-policy-acr-rules = Vertrauensniveaus
console-tenants-title = Kommunen
console-tenant-users = Konten
console-tenant-clients = Dienste

## Kopf- und Fußzeile: die Kommune und die Pflichtangaben
brand-home = Startseite der Website der Kommune
footer-legal-notice = Impressum
footer-privacy = Datenschutz
footer-accessibility-full = Barrierefreiheit: vollständig konform
footer-accessibility-partial = Barrierefreiheit: teilweise konform
footer-accessibility-none = Barrierefreiheit: nicht konform
footer-contact = Kontakt
signup-privacy-notice = { $tenant } verwendet Ihren Anmeldenamen und Ihre E-Mail-Adresse, damit Sie sich bei den angebotenen Online-Diensten anmelden können. An einen Dienst werden sie nur mit Ihrer Zustimmung weitergegeben.
footer-transparency = Transparenz

## The public transparency page
transparency-title = Transparenz
transparency-intro = Gezählt werden Vorgänge (Anmeldungen, ausgestellte Tokens, Austausch zwischen Instanzen), niemals Personen. Werte zwischen 1 und 9 werden als „< 10“ angezeigt.
transparency-dependency-title = Abhängigkeit von Dienstleistern außerhalb Europas
transparency-within-eea = An { $percent } % der Vorgänge der letzten zwölf Monate war kein Dienstleister mit Sitz außerhalb der Europäischen Union und des Europäischen Wirtschaftsraums beteiligt.
transparency-no-transactions = Keine Vorgänge in den letzten zwölf Monaten.
transparency-percent = { $percent } %
transparency-fewer-than-ten = < 10
transparency-fewer-than-ten-long = zwischen 1 und 9
transparency-months-title = Vorgänge pro Monat
transparency-days-title = Vorgänge pro Tag (letzte 31 Tage)
transparency-col-period = Zeitraum
transparency-col-sign_in_passkey = Anmeldungen mit Passkey
transparency-col-sign_in_password = Anmeldungen mit Passwort
transparency-col-sign_in_peer = Anmeldungen über eine Partnerinstanz
transparency-col-sign_in_upstream = Anmeldungen über einen Identitätsanbieter
transparency-col-sign_in_other = Andere Anmeldungen (Kontowiederherstellung)
transparency-col-tokens = Ausgestellte Tokens
transparency-col-federation_in = Föderationsaustausch (eingehend)
transparency-col-federation_out = Föderationsaustausch (ausgehend)
transparency-col-mails = Gesendete E-Mails
transparency-col-services = Genutzte Dienste
transparency-col-within-eea = Ohne Dienstleister außerhalb von EU/EWR
transparency-providers-title = Vom Betreiber angegebene Dienstleister
transparency-providers-none = Der Betreiber hat keine Dienstleister angegeben.
transparency-col-provider = Dienstleister
transparency-col-country = Land
transparency-col-role = Funktion
transparency-col-eea = Innerhalb von EU/EWR
transparency-yes = Ja
transparency-no = Nein
transparency-hosts-title = Von der Installation kontaktierte Server (letzte 31 Tage)
transparency-hosts-none = Es wurde kein externer Server kontaktiert.
transparency-col-host = Server
transparency-col-requests = Anfragen
transparency-col-declared = Herkunft
transparency-configured = Konfiguriert
transparency-unexpected = Weder konfiguriert noch angegeben
transparency-json = Diese Zahlen im JSON-Format

## E-mails (plain text; $name: the collectivité, $link: the link to open)
mail-verify-subject = { $name }: Bestätigen Sie Ihre Adresse
mail-verify-body =
    Guten Tag,

    um Ihre Adresse für { $name } zu bestätigen, öffnen Sie diesen Link in dem Browser, in dem Sie bei Ihrem Konto angemeldet sind:
    { $link }

    Wenn Sie dies nicht angefordert haben, ignorieren Sie diese Nachricht.
mail-recovery-subject = { $name }: Kontowiederherstellung
mail-recovery-body =
    Guten Tag,

    um wieder Zugang zu Ihrem Konto bei { $name } zu erhalten, öffnen Sie diesen Link innerhalb von 30 Minuten:
    { $link }

    Wenn Sie nichts angefordert haben, ignorieren Sie diese Nachricht: Ihr Konto bleibt geschützt.
mail-reset-subject = { $name }: Neue Anmeldemethoden
mail-reset-body =
    Guten Tag,

    die Verwaltung von { $name } hat die Anmeldemethoden Ihres Kontos entfernt (Passkeys, Passwort, Zwei-Faktor-Authentisierung, Wiederherstellungscodes). Um sich anzumelden und einen neuen Passkey hinzuzufügen, öffnen Sie diesen Link innerhalb von 30 Minuten:
    { $link }

    Wenn Sie diese Nachricht nicht erwartet haben, wenden Sie sich an { $name }.
mail-upgrade-subject = { $name }: Bestätigen Sie Ihre Anmeldemethode
mail-upgrade-body =
    Guten Tag,

    damit Ihre neue Anmeldemethode bei { $name } voll zählt, öffnen Sie diesen Link innerhalb von 30 Minuten in dem Browser, in dem Sie sie hinzugefügt haben:
    { $link }

    Wenn Sie nichts hinzugefügt haben, kennt möglicherweise jemand Ihr Passwort: Ändern Sie es und entfernen Sie diese Anmeldemethode.

## Dates as pages show them ($day, $month: the month's name, $year; $date, $time in 24-hour form, UTC)
date-day = { $day }. { $month } { $year }
date-time = { $date }, { $time } Uhr (UTC)
month-1 = Januar
month-2 = Februar
month-3 = März
month-4 = April
month-5 = Mai
month-6 = Juni
month-7 = Juli
month-8 = August
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Dezember

## The language switcher (the name is each language's own)
language-name = Deutsch
language-switcher-label = Sprache

## Accessibility: text alternatives and warnings (RGAA 1.1, 13.2)
totp-qr-alt = QR-Code zum Scannen mit Ihrer Authenticator-App; den Schlüssel zur Eingabe von Hand finden Sie darunter.
new-window = neues Fenster
