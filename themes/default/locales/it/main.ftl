sign-in-title = Accedi
sign-in-intro = Accedi per continuare su { $client }.
username-label = Nome utente
password-label = Password
sign-in-button = Accedi
sign-in-failed = Nome utente o password non corretti.
too-many-attempts = Troppi tentativi. Riprova tra qualche minuto.
consent-title = Autorizzazione
consent-intro = { $client } chiede di accedere al tuo account { $user }:
consent-approve = Autorizza
consent-deny = Rifiuta
consent-policy = Informativa sulla privacy di { $client }
consent-tos = Condizioni d’uso di { $client }
scope-openid = il tuo identificativo
scope-profile = il tuo nome e il tuo profilo
scope-email = il tuo indirizzo email
scope-phone = il tuo numero di telefono
scope-address = il tuo indirizzo postale
scope-offline_access = un accesso che continua anche quando esci dal tuo account
scope-openid-help = Un identificativo del tuo account che permette al servizio di riconoscerti quando torni. Non contiene né il tuo nome né i tuoi recapiti.
scope-profile-help = Il tuo nome, il tuo cognome, il tuo nome utente e la tua lingua, come risultano nel tuo account.
scope-email-help = Il tuo indirizzo email e se lo hai confermato.
scope-phone-help = Il tuo numero di telefono e se è stato confermato.
scope-address-help = L’indirizzo postale registrato nel tuo account.
scope-offline_access-help = Il servizio potrà continuare a ottenere le informazioni qui sopra anche quando non lo usi, finché non gli revochi l’accesso dal tuo account.
logout-title = Disconnessione
logout-question = Vuoi uscire dal tuo account?
logout-button = Esci
logout-cancel = Annulla, non uscire
logout-cancel-to = Annulla e torna a { $client }
signed-out-title = Disconnessione effettuata
signed-out-message = Hai effettuato la disconnessione.
back-to-service = Torna a { $client }
back-to-service-unnamed = Torna al servizio
back-to-site = Vai al sito di { $tenant }
signing-out-title = Disconnessione in corso
signing-out-message = Disconnessione dai servizi che hai usato…
signing-out-frame = Avviso di disconnessione a un servizio
form-post-title = Reindirizzamento
form-post-message = Ritorno al servizio…
continue-button = Continua
error-title = Errore
error-not-found = Questa pagina non esiste.
error-bad-request = La richiesta non è valida.
error-internal = Si è verificato un errore interno. Riprova più tardi.
error-unavailable = Il servizio è temporaneamente non disponibile. Riprova tra qualche istante.
error-missing-client-id = La richiesta di accesso non indica il servizio (manca client_id).
error-unknown-client = Il servizio che chiede l’accesso è sconosciuto.
error-request-object = Non è stato possibile verificare la richiesta del servizio.
error-federation-trust = Non è stato possibile verificare questo servizio presso la federazione di fiducia a cui dichiara di appartenere.
error-missing-redirect-uri = La richiesta di accesso non indica l’indirizzo di ritorno (manca redirect_uri).
error-redirect-uri = L’indirizzo di ritorno non è registrato per questo servizio.
error-duplicate-param = La richiesta di accesso contiene un parametro duplicato.
error-param-too-long = La richiesta di accesso contiene un parametro troppo lungo.
error-interaction-expired = Questa richiesta di accesso è scaduta. Torna al servizio e ricomincia.
error-csrf = Il controllo di sicurezza del modulo non è riuscito. Torna al servizio e ricomincia.
error-logout-redirect = L’indirizzo di ritorno dopo la disconnessione non è registrato per questo servizio.
error-logout-hint = Il token fornito per la disconnessione non è valido.
error-sign-in-again = Per sicurezza, accedi di nuovo per modificare il tuo account.
error-signed-out = La tua sessione è terminata. Accedi di nuovo.
or = oppure
step-up-intro = Questo servizio richiede un accesso più sicuro: usa una passkey.
level-needed-title = È richiesto un accesso più sicuro
level-needed-message = Questo servizio richiede un accesso più sicuro di quello che hai usato. Va bene uno di questi metodi:
level-way-passkey = una passkey, sbloccata con l’impronta digitale, il volto o il PIN
level-way-password-totp = la tua password, seguita da un codice della tua app di autenticazione (TOTP)
level-retry = Accedi in un altro modo
level-add-title = Aggiungerne uno ora
level-add-intro = Puoi aggiungere ora uno di questi metodi. Ti invieremo poi un link al tuo indirizzo e-mail confermato: aprilo in questo browser per confermare il nuovo metodo, quindi accedi con esso per continuare.
level-add-passkey = Aggiungi una passkey
level-add-totp = Configura un’app di autenticazione
level-mail-sent-title = Conferma dalla tua casella di posta
level-mail-sent = Aggiunto. Abbiamo appena inviato un link al tuo indirizzo e-mail confermato: aprilo in questo browser per confermare questo metodo, quindi accedi con esso per continuare.
credential-confirmed = Confermato: accedi con il tuo nuovo metodo per continuare.
enrol-title = Aggiungi una passkey
enrol-intro = Il tuo dispositivo ti proporrà di creare una passkey per questo account. Varrà pienamente una volta confermata con il link che ti invieremo per e-mail; potrai quindi continuare verso { $client }.
enrol-intro-unnamed = Il tuo dispositivo ti proporrà di creare una passkey per questo account. Varrà pienamente una volta confermata con il link che ti invieremo per e-mail.
enrol-back = Torna agli altri metodi
account-disabled = Questo account è disattivato. Contatta il tuo Comune o l’ufficio che lo gestisce.
passkey-sign-in-button = Accedi con una passkey
passkey-failed = Non è stato possibile usare la passkey. Riprova.
passkey-unsupported = Questo browser non supporta le passkey.
passkey-needs-script = Per creare una passkey, in questo browser serve JavaScript.
passkey-unknown = Questa passkey non è registrata qui. Usane un’altra oppure un codice di recupero.
signup-link = Crea un account
recover-link = Hai perso la passkey?
otp-title = Codice di verifica
otp-intro = Inserisci il codice di 6 cifre mostrato dalla tua app di autenticazione.
otp-label = Codice
otp-failed = Questo codice non è valido. Attendi il codice successivo e riprova.
signup-title = Crea un account
signup-intro = Il tuo account è protetto da una passkey: il tuo dispositivo la sblocca con l’impronta digitale, il riconoscimento del volto o il PIN. Nessuna password da ricordare.
signup-username-help = Da 2 a 64 caratteri, senza spazi.
signup-email-help = Facoltativo: serve solo ad aiutarti a recuperare il tuo account.
signup-username-taken = Questo nome utente è già in uso. Scegline un altro.
signup-username-invalid = Il nome utente deve avere da 2 a 64 caratteri, senza spazi.
signup-button = Crea il mio account con una passkey
signup-closed = Questo servizio non accetta nuovi account qui.
signup-invitation-needed = Per creare un account qui serve un invito.
signup-invitation-invalid = Questo invito è già stato usato o è scaduto.
email-label = Indirizzo email
recovery-codes-title = Codici di recupero
recovery-codes-intro = Conserva questi codici in un luogo sicuro (su carta o in un gestore di password). Ognuno ti permette di entrare una volta nel tuo account se perdi la passkey. Vengono mostrati solo ora.
recovery-codes-saved = Ho annotato i miei codici, continua
recovery-codes-left = Codici ancora non usati: { $count }.
recovery-codes-new = Crea nuovi codici di recupero
recover-title = Recupera il tuo account
recover-code-title = Con un codice di recupero
recover-code-label = Codice di recupero
recover-button = Recupera il mio account
recover-email-title = Via email
recover-email-button = Inviami un link
recover-email-confirm = Conferma per accedere e aggiungere una nuova passkey.
recovery-failed = Questo nome utente e questo codice di recupero non corrispondono.
recovery-mail-sent = Se questo indirizzo è confermato per un account, gli è stato inviato un link.
email-link-invalid = Questo link è già stato usato, è scaduto o non è valido.
email-verified-title = Indirizzo confermato
email-verified = Il tuo indirizzo email è confermato.
totp-title = App di autenticazione
totp-intro = Scansiona questo codice con la tua app di autenticazione, poi inserisci il codice che ti mostra.
totp-manual = Oppure inserisci questa chiave a mano:
totp-enable = Attiva
totp-is-on = L’accesso con password richiede anche un codice della tua app.
totp-is-off = Un codice generato da un’app può proteggere la tua password.
totp-set-up = Configura
totp-disable = Disattiva l’app di autenticazione
account-title = Il tuo account
account-intro = Accesso effettuato come { $user }.
passkeys-title = Passkey
passkeys-none = Non hai ancora nessuna passkey.
passkey-created = Aggiunta il { $date }
passkey-last-used = ultimo utilizzo il { $date }
passkey-never-used = mai utilizzata
passkey-model = { $model } (secondo il dispositivo, non verificato)
passkey-model-unknown = tipo di dispositivo sconosciuto
passkey-synced = sincronizzata
passkey-device-bound = solo su questo dispositivo
passkey-manage = Gestisci «{ $name }»
passkey-name-label = Nome
passkey-rename = Rinomina
passkey-remove = Elimina la passkey «{ $name }»
passkey-last-warning = È il tuo unico modo per accedere. Senza questa passkey ti servirà un codice di recupero.
passkey-last-confirm-label = Ho capito, eliminala comunque
passkey-add = Aggiungi una passkey
passkey-used-now = usata per questo accesso
passkey-default-name = Passkey – { $browser } su { $os }
passkey-default-name-one = Passkey – { $device }
password-title = Password
password-is-set = Puoi accedere anche con una password.
password-not-set = Accedi senza password.
password-new-label = Nuova password
password-help = Almeno 12 caratteri. L’ideale è una frase lunga.
password-change = Cambia la password
password-set-button = Imposta una password
password-remove = Elimina la password
email-title = Email
email-verified-state = confermato
email-unverified-state = non ancora confermato
email-save = Salva e invia un link di conferma
sessions-title = Dove hai effettuato l’accesso
session-since = dal { $date }
session-current = questo browser
session-end = Disconnetti
passkey-added = La passkey è stata aggiunta.
passkey-renamed = La passkey è stata rinominata.
passkey-removed = La passkey è stata eliminata.
passkey-last-confirm = Questa passkey è il tuo unico modo per accedere: seleziona la casella per confermarne l’eliminazione.
password-set = La password è stata salvata.
password-removed = La password è stata eliminata.
password-too-short = La password deve avere almeno 12 caratteri.
password-last = La password è il tuo unico modo per accedere: aggiungi prima una passkey.
totp-enabled = L’app di autenticazione è attivata.
totp-disabled = L’app di autenticazione è disattivata.
session-ended = Questa sessione è stata chiusa.
email-sent = È stato inviato un link di conferma a questo indirizzo.
email-invalid = Questo indirizzo email non è valido.
recovered = Hai effettuato l’accesso. Aggiungi subito una nuova passkey, così non ti servirà più un codice di recupero.

# Accesso con un account di un altro ente della federazione
peers-link = Il tuo account è presso un altro ente locale?
peers-title = Dov’è il tuo account?
peers-intro = Accedi con l’account che hai presso un altro ente o un altro operatore di fiducia della federazione di { $tenant }.
peers-last = La tua ultima scelta su questo dispositivo:
peers-continue = Continua con { $peer }
peers-search-label = Cerca il tuo ente
peers-search-button = Cerca
peers-no-match = Nessun ente corrisponde a «{ $q }».
peers-none = Al momento non è disponibile nessun altro ente.
peers-back = Torna all’accesso
peer-sign-in-cancelled = L’accesso presso l’altro ente non è stato completato. Scegli un altro modo per accedere.
peer-sign-in-failed = Non è stato possibile verificare l’accesso presso l’altro ente. Riprova o scegli un altro modo per accedere.
error-peer-unknown = Questo ente non è tra quelli proposti qui.
error-peer-directory = Non è stato possibile leggere l’elenco degli enti della federazione. Riprova tra qualche istante.
error-peer-sign-in = Non è stato possibile avviare l’accesso presso l’altro ente. Riprova tra qualche istante.
error-peer-expired = Questo accesso è scaduto o è già stato usato. Torna al servizio e ricomincia.
error-detail-label = Dettaglio tecnico per il servizio (in inglese):

# Metodi di accesso aggiunti da una sessione meno sicura e link di conferma
credential-limited = Questo metodo di accesso è stato aggiunto dopo un accesso con un solo fattore: vale solo come un fattore e i servizi che richiedono un accesso a due fattori non lo accettano da solo.
credential-upgrade-button = Conferma «{ $name }» via email
upgrade-mail-sent = È stato inviato un link al tuo indirizzo confermato. Aprilo in questo browser per completare.
upgrade-needs-email = Conferma prima un indirizzo email: il link viene inviato a quell’indirizzo.
credential-upgraded = Confermato: ora questo metodo di accesso vale a pieno titolo.
upgrade-title = Conferma il tuo nuovo metodo di accesso
upgrade-confirm = Conferma di aver aggiunto questo metodo di accesso. Se non l’hai aggiunto tu, non confermare: cambia invece la tua password.
email-verify-title = Conferma il tuo indirizzo
email-verify-confirm = Conferma che questo indirizzo email appartiene al tuo account.
email-taken = Questo indirizzo è già confermato per un altro account.
mail-link-sign-in-first = Accedi al tuo account in questo browser, poi riapri il link.
mail-link-other-account = Questo link è stato inviato per un altro account o per un altro accesso.
mail-link-confirm-button = Conferma
totp-failures-notice = { $count ->
    [one] Dalla tua ultima visita è stato inserito un codice dell’app errato per il tuo account. Se non l’hai inserito tu, qualcuno conosce la tua password: cambiala.
   *[other] Dalla tua ultima visita sono stati inseriti { $count } codici dell’app errati per il tuo account. Se non li hai inseriti tu, qualcuno conosce la tua password: cambiala.
}

profile-title = I tuoi dati anagrafici
profile-given-name = Nome
profile-family-name = Cognome
profile-save = Salva
profile-saved = I tuoi dati anagrafici sono stati salvati.
profile-invalid = Un nome può avere al massimo 200 caratteri, senza caratteri di controllo.
profile-stale = Nel frattempo il tuo account è cambiato: controlla nome e cognome qui sotto e salva di nuovo.
services-title = Servizi collegati
services-none = Non hai autorizzato nessun servizio.
services-help = Se rimuovi un servizio, perde l’accesso al tuo account; la prossima volta ti chiederà di nuovo il consenso.
service-since = autorizzato il { $date }
service-scopes = accesso a:
service-withdraw = Revoca l’accesso di { $name }
consent-withdrawn = L’accesso del servizio è stato revocato.
activity-title = Attività recenti
activity-none = Nessuna attività registrata.
activity-failed = esito negativo
activity-by-admin = da parte dell’amministrazione
activity-sign-in = Accesso
activity-user-updated = Dati anagrafici modificati
activity-user-disabled = Account disattivato
activity-user-enabled = Account riattivato
activity-user-sessions-ended = Sessioni chiuse
activity-user-credentials-reset = Metodi di accesso reimpostati
activity-user-exported = Dati scaricati
activity-consent-withdrawn = Accesso di un servizio revocato
activity-role-granted = Ruolo di amministrazione assegnato
activity-role-revoked = Ruolo di amministrazione revocato
data-title = I tuoi dati
data-help = Scarica in un file JSON tutto ciò che questo servizio conserva su di te (profilo, passkey, sessioni, servizi autorizzati, attività).
data-download = Scarica i miei dati
delete-title = Elimina il mio account
delete-help = L’eliminazione è definitiva: il tuo profilo, le tue passkey, la tua password e le tue autorizzazioni vengono cancellati, la tua sessione viene chiusa in tutti i servizi e il tuo nome utente non potrà più essere usato per accedere. Il registro di sicurezza conserva una traccia anonima dell’eliminazione.
delete-confirm-label = Ho capito che l’eliminazione del mio account è definitiva.
delete-button = Elimina il mio account
delete-unconfirmed = Seleziona la casella per confermare l’eliminazione.
delete-last-operator = Questo account è l’ultimo con il ruolo di operatore dell’installazione: non può essere eliminato.
account-deleted-title = Account eliminato
account-deleted-message = Il tuo account e i tuoi dati sono stati eliminati. La tua sessione è stata chiusa.
activity-recovery-used = Account recuperato
activity-passkey-added = Passkey aggiunta
activity-passkey-removed = Passkey eliminata
activity-password-set = Password impostata
activity-password-removed = Password eliminata
activity-totp-enabled = Autenticazione a due fattori attivata
activity-totp-disabled = Autenticazione a due fattori disattivata
activity-recovery-codes-renewed = Nuovi codici di recupero
activity-email-changed = Indirizzo email modificato
activity-session-ended = Sessione chiusa
activity-consent-given = Accesso concesso a un servizio

## Console di amministrazione (<issuer>/admin)
console-title = Amministrazione
console-nav = Amministrazione
console-skip = Vai al contenuto
console-nav-users = Account
console-nav-clients = Servizi
console-nav-keys = Chiavi di firma
console-nav-audit = Registro di audit
console-nav-settings = Impostazioni
console-nav-tenants = Enti
console-forbidden = Il tuo account non ha un ruolo di amministrazione qui. Può assegnartene uno chi ha il ruolo di operatore (trame admin grant).
console-read-only = Il tuo ruolo consente di consultare, non di modificare.
console-read-only-note = Il tuo ruolo (auditor) consente di consultare, non di modificare.
console-operators-only = Solo chi ha il ruolo di operatore dell’installazione può vedere questa pagina.
console-invalid-form = Questo modulo contiene un valore non valido. Torna alla pagina e riprova.
console-search = Cerca
console-filter = Filtra
console-save = Salva
console-next-page = Pagina successiva
console-yes = sì
console-no = no
console-none = nessuno
console-username = Nome utente
console-name = Nome
console-email = Indirizzo email
console-status = Stato
console-active = Attivo
console-disabled = Disattivato
console-disabled-since = Disattivato dal { $date }
console-verified = verificato
console-unverified = non verificato
console-created = Data di creazione
console-credentials = Metodi di accesso
console-credentials-summary = { $passkeys ->
    [0] nessuna passkey
    [one] una passkey
   *[other] { $passkeys } passkey
  }, password: { $password }, TOTP: { $totp }
console-roles = Ruoli
console-users-title = Account
console-users-search = Cerca un account
console-users-search-help = L’inizio di un nome utente, di un indirizzo email, di un nome o di un cognome; maiuscole, minuscole e accenti non contano.
console-users-found = Account che iniziano con «{ $q }»
console-users-all = Tutti gli account, per nome utente
console-users-none = Nessun account corrisponde.
console-back-users = Torna agli account
console-passkeys-none = Nessuna passkey.
console-sessions-title = Sessioni aperte
console-sessions-none = Nessuna sessione aperta.
console-device = Dispositivo
console-since = Dal
console-until = Al
console-end-sessions = Chiudi tutte le sessioni dell’account
console-trail-title = Cronologia
console-trail-all = Tutta la cronologia di questo account
console-actions-title = Azioni
console-disable = Disattiva l’account
console-disable-help = Con questo account non sarà più possibile accedere, le sue sessioni vengono chiuse e i suoi token smettono subito di funzionare. Potrai riattivarlo.
console-enable = Riattiva l’account
console-reset-title = Reimposta i metodi di accesso
console-reset-help-mail = Elimina le passkey, la password, il TOTP e i codici di recupero, chiude le sessioni e invia un link di recupero all’indirizzo verificato della persona.
console-reset-help-no-mail = Elimina le passkey, la password, il TOTP e i codici di recupero e chiude le sessioni. Questo account non ha un indirizzo verificato: dopo, dai alla persona un altro modo per rientrare (una password provvisoria con trame user set-password, oppure un indirizzo verificato e la pagina di recupero).
console-reset = Reimposta
console-delete-title = Elimina l’account
console-delete-help = Eliminazione definitiva (GDPR): i dati personali vengono cancellati, le sessioni chiuse e i servizi avvisati. Il registro di audit conserva una traccia anonima.
console-type-to-confirm = Per confermare, scrivi «{ $name }»
console-delete-user = Elimina definitivamente
console-user-disabled = L’account è disattivato.
console-user-enabled = L’account è riattivato.
console-user-deleted = L’account è eliminato.
console-user-sessions-ended = Le sessioni dell’account sono chiuse.
console-user-reset-link-sent = I metodi di accesso sono stati eliminati ed è stato inviato un link di recupero.
console-user-reset-no-address = I metodi di accesso sono stati eliminati. Senza un indirizzo verificato (o senza invio di email) non è stato inviato nessun link: dai alla persona un altro modo per rientrare.
console-last-operator = È l’ultimo account con il ruolo di operatore dell’installazione: assegna prima questo ruolo a un altro account.
console-unconfirmed = Il nome inserito non corrisponde: non è stato modificato nulla.
console-clients-title = Servizi
console-clients-none = Nessun servizio registrato.
console-client-new = Registra un servizio
console-back-clients = Torna ai servizi
console-client-id = Identificativo del servizio (client_id)
console-client-id-help = Lettere, cifre, punti, trattini; non si può più modificare in seguito.
console-client-name = Nome mostrato alle persone
console-client-kind = Tipo
console-kind-web = Applicazione web con server
console-kind-web-help = Conserva un segreto sul proprio server (client_secret_basic); accesso delle persone.
console-kind-public = Applicazione mobile o single-page
console-kind-public-help = Senza segreto, protetta da PKCE; accesso delle persone.
console-kind-service = Servizio senza accesso di persone
console-kind-service-help = Un programma che chiama delle API con il proprio segreto (client_credentials).
console-client-federation = registrato tramite federazione
console-redirect-uris = Indirizzi di ritorno (redirect_uris)
console-redirect-uris-help = Uno per riga, confrontati in modo esatto; https obbligatorio tranne che su localhost.
console-logout-uris = Indirizzi di ritorno dopo la disconnessione (facoltativo)
console-scope = Ambiti autorizzati (scope)
console-scope-help = Separati da spazi, per esempio: openid profile email
console-client-register = Registra
console-client-invalid = Il campo «{ $field }» non è accettato.
console-client-created = Servizio «{ $id }» registrato
console-secret-rotated = Nuovo segreto per «{ $id }»
console-secret-once = Copia ora questo segreto: non verrà mai più mostrato. Trame ne conserva solo un’impronta.
console-client-secret = Segreto del servizio (client_secret)
console-client-see = Vedi il servizio «{ $id }»
console-rotate-secret = Genera un nuovo segreto
console-rotate-secret-help = Il segreto precedente smette subito di funzionare.
console-client-delete-title = Elimina il servizio
console-client-delete-help = I suoi token smettono di funzionare e le persone non potranno più accedervi.
console-client-delete = Elimina il servizio
console-client-deleted = Il servizio è eliminato.
console-keys-title = Chiavi di firma
console-keys-help = I token sono firmati con la chiave attiva; le chiavi pubblicate si trovano nel JWKS per verificare i token già emessi.
console-key-id = Identificativo (kid)
console-key-alg = Algoritmo
console-key-signs-from = Firma dal
console-key-next = pubblicata, non ancora attiva
console-key-active = attiva
console-key-retiring = in dismissione (solo verifica)
console-key-retired = dismessa
console-key-rotate-title = Sostituisci la chiave
console-key-delay = La nuova chiave firma
console-key-delay-hours = { $hours ->
    [0] subito
   *[other] tra { $hours } ore
  }
console-key-rotate = Sostituisci la chiave
console-key-rotated = È stata pubblicata una nuova chiave.
console-audit-title = Registro di audit
console-audit-invalid = Una data non è valida, oppure la data di inizio è successiva a quella di fine.
console-when = Data
console-actor = Eseguito da
console-action = Azione
console-target = Oggetto
console-outcome = Esito
console-address = Indirizzo
console-success = positivo
console-failure = negativo
console-records-none = Nessun evento.
console-settings-title = Impostazioni
console-slug = Identificativo
console-issuer = Emittente (issuer)
console-display-name = Nome visualizzato
console-display-name-invalid = Il nome visualizzato deve avere da 1 a 200 caratteri stampabili.
console-settings-saved = Le impostazioni sono state salvate.
console-settings-stale = Nel frattempo le impostazioni sono cambiate: ecco il loro stato attuale; non è stato sovrascritto nulla.
console-policies-title = Regole
console-policies-help = Stabiliscono cosa possono fare le persone: chi ha il ruolo di operatore le modifica con «trame tenant set { $slug }».
console-policy-registration = Registrazione
console-policy-dynamic-registration = Registrazione dinamica dei servizi
console-policy-usernames = Nomi utente
console-policy-credential-upgrade = Rafforzamento dei metodi di accesso
console-policy-acr-rules = Livelli di garanzia
console-tenants-title = Enti
console-tenant-users = Account
console-tenant-clients = Servizi

## Intestazione e piè di pagina: l'ente e le informazioni obbligatorie
brand-home = home page del sito dell’ente
footer-legal-notice = Note legali
footer-privacy = Informativa privacy
footer-accessibility-full = Accessibilità: pienamente conforme
footer-accessibility-partial = Accessibilità: parzialmente conforme
footer-accessibility-none = Accessibilità: non conforme
footer-contact = Contatti
signup-privacy-notice = { $tenant } usa il tuo nome utente e il tuo indirizzo email per permetterti di accedere ai suoi servizi online. Vengono trasmessi a un servizio solo con il tuo consenso.
footer-transparency = Trasparenza

## The public transparency page
transparency-title = Trasparenza
transparency-intro = Questi numeri contano operazioni (accessi, token emessi, scambi tra istanze), mai persone. I valori da 1 a 9 sono indicati come «< 10».
transparency-dependency-title = Dipendenza da fornitori extraeuropei
transparency-within-eea = { $percent } % delle operazioni degli ultimi dodici mesi non hanno coinvolto alcun fornitore con sede al di fuori dell’Unione europea e dello Spazio economico europeo.
transparency-no-transactions = Nessuna operazione negli ultimi dodici mesi.
transparency-percent = { $percent } %
transparency-fewer-than-ten = < 10
transparency-fewer-than-ten-long = da 1 a 9
transparency-months-title = Operazioni per mese
transparency-days-title = Operazioni per giorno (ultimi 31 giorni)
transparency-col-period = Periodo
transparency-col-sign_in_passkey = Accessi con passkey
transparency-col-sign_in_password = Accessi con password
transparency-col-sign_in_peer = Accessi tramite un’istanza partner
transparency-col-sign_in_upstream = Accessi tramite un gestore di identità
transparency-col-sign_in_other = Altri accessi (recupero dell’account)
transparency-col-tokens = Token emessi
transparency-col-federation_in = Scambi di federazione ricevuti
transparency-col-federation_out = Scambi di federazione inviati
transparency-col-mails = Email inviate
transparency-col-services = Servizi utilizzati
transparency-col-within-eea = Senza fornitori extra UE/SEE
transparency-providers-title = Fornitori dichiarati dall’operatore
transparency-providers-none = L’operatore non ha dichiarato alcun fornitore.
transparency-col-provider = Fornitore
transparency-col-country = Paese
transparency-col-role = Ruolo
transparency-col-eea = Nell’UE/SEE
transparency-yes = Sì
transparency-no = No
transparency-hosts-title = Server contattati dall’installazione (ultimi 31 giorni)
transparency-hosts-none = Non è stato contattato alcun server esterno.
transparency-col-host = Server
transparency-col-requests = Richieste
transparency-col-declared = Origine
transparency-configured = Configurato
transparency-unexpected = Né configurato né dichiarato
transparency-json = Questi numeri in formato JSON

## E-mails (plain text; $name: the collectivité, $link: the link to open)
mail-verify-subject = { $name }: conferma il tuo indirizzo
mail-verify-body =
    Buongiorno,

    per confermare il tuo indirizzo per { $name }, apri questo link nel browser in cui hai effettuato l’accesso al tuo account:
    { $link }

    Se non hai richiesto nulla, ignora questo messaggio.
mail-recovery-subject = { $name }: recupero dell’account
mail-recovery-body =
    Buongiorno,

    per recuperare l’accesso al tuo account { $name }, apri questo link entro 30 minuti:
    { $link }

    Se non hai richiesto nulla, ignora questo messaggio: il tuo account resta protetto.
mail-reset-subject = { $name }: nuovi metodi di accesso
mail-reset-body =
    Buongiorno,

    l’amministrazione di { $name } ha rimosso i metodi di accesso del tuo account (passkey, password, verifica in due passaggi, codici di recupero). Per accedere e aggiungere una nuova passkey, apri questo link entro 30 minuti:
    { $link }

    Se non ti aspettavi questo messaggio, contatta { $name }.
mail-upgrade-subject = { $name }: conferma il tuo metodo di accesso
mail-upgrade-body =
    Buongiorno,

    perché il tuo nuovo metodo di accesso a { $name } valga pienamente, apri questo link entro 30 minuti, nel browser in cui l’hai aggiunto:
    { $link }

    Se non hai aggiunto nulla, qualcuno potrebbe conoscere la tua password: cambiala e rimuovi quel metodo di accesso.

## Dates as pages show them ($day, $month: the month's name, $year; $date, $time in 24-hour form, UTC)
date-day = { $day } { $month } { $year }
date-time = { $date }, ore { $time } (UTC)
month-1 = gennaio
month-2 = febbraio
month-3 = marzo
month-4 = aprile
month-5 = maggio
month-6 = giugno
month-7 = luglio
month-8 = agosto
month-9 = settembre
month-10 = ottobre
month-11 = novembre
month-12 = dicembre

## The language switcher (the name is each language's own)
language-name = Italiano
language-switcher-label = Lingua

## Accessibility: text alternatives and warnings (RGAA 1.1, 13.2)
totp-qr-alt = Codice QR da scansionare con la tua app di autenticazione; la chiave da inserire a mano è riportata qui sotto.
new-window = nuova finestra
