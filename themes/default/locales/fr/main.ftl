sign-in-title = Connexion
sign-in-intro = Connectez-vous pour continuer vers { $client }.
username-label = Identifiant
password-label = Mot de passe
sign-in-button = Se connecter
sign-in-failed = Identifiant ou mot de passe incorrect.
too-many-attempts = Trop de tentatives. Réessayez dans quelques minutes.
consent-title = Autorisation
consent-intro = { $client } demande l’accès à votre compte { $user } :
consent-approve = Autoriser
consent-deny = Refuser
consent-policy = Politique de confidentialité de { $client }
consent-tos = Conditions d’utilisation de { $client }
scope-openid = votre identifiant
scope-profile = votre nom et votre profil
scope-email = votre adresse électronique
scope-phone = votre numéro de téléphone
scope-address = votre adresse postale
scope-offline_access = un accès maintenu même en votre absence
scope-openid-help = Un identifiant propre à votre compte, qui permet au service de vous reconnaître à votre retour. Il ne contient ni votre nom ni vos coordonnées.
scope-profile-help = Votre prénom, votre nom, votre identifiant et votre langue, tels qu’ils figurent dans votre compte.
scope-email-help = Votre adresse électronique, et si vous l’avez confirmée.
scope-phone-help = Votre numéro de téléphone, et s’il a été confirmé.
scope-address-help = L’adresse postale enregistrée dans votre compte.
scope-offline_access-help = Le service pourra continuer à obtenir les informations ci-dessus quand vous ne l’utilisez pas, jusqu’à ce que vous lui retiriez l’accès depuis votre compte.
logout-title = Déconnexion
logout-question = Voulez-vous vous déconnecter ?
logout-button = Se déconnecter
logout-cancel = Annuler, ne pas me déconnecter
logout-cancel-to = Annuler et revenir à { $client }
signed-out-title = Déconnexion effectuée
signed-out-message = Votre session est fermée.
back-to-service = Revenir à { $client }
back-to-service-unnamed = Revenir au service
back-to-site = Aller sur le site de { $tenant }
signing-out-title = Déconnexion en cours
signing-out-message = Déconnexion des services que vous avez utilisés…
signing-out-frame = Avis de déconnexion à un service
form-post-title = Redirection
form-post-message = Retour vers le service…
continue-button = Continuer
error-title = Erreur
error-not-found = Cette page n’existe pas.
error-bad-request = La requête est invalide.
error-internal = Une erreur interne est survenue. Réessayez plus tard.
error-unavailable = Le service est momentanément indisponible. Réessayez dans quelques instants.
error-missing-client-id = La demande de connexion ne précise pas le service (client_id manquant).
error-unknown-client = Le service qui demande la connexion est inconnu.
error-request-object = La requête du service n’a pas pu être vérifiée.
error-federation-trust = Ce service n’a pas pu être vérifié auprès de la fédération de confiance dont il se réclame.
error-missing-redirect-uri = La demande de connexion ne précise pas l’adresse de retour (redirect_uri manquant).
error-redirect-uri = L’adresse de retour n’est pas enregistrée pour ce service.
error-duplicate-param = La demande de connexion contient un paramètre en double.
error-param-too-long = La demande de connexion contient un paramètre trop long.
error-interaction-expired = Cette demande de connexion a expiré. Retournez sur le service et recommencez.
error-csrf = La vérification de sécurité du formulaire a échoué. Retournez sur le service et recommencez.
error-logout-redirect = L’adresse de retour après déconnexion n’est pas enregistrée pour ce service.
error-logout-hint = Le jeton fourni pour la déconnexion est invalide.
error-sign-in-again = Par sécurité, reconnectez-vous pour modifier votre compte.
error-signed-out = Votre session est fermée. Connectez-vous à nouveau.
or = ou
step-up-intro = Ce service demande une connexion plus sûre : utilisez une clé d’accès.
level-needed-title = Connexion plus sûre demandée
level-needed-message = Ce service demande une connexion plus sûre que celle que vous avez utilisée. L’une de ces méthodes convient :
level-way-passkey = une clé d’accès, déverrouillée par votre empreinte, votre visage ou votre code
level-way-password-totp = votre mot de passe, suivi d’un code de votre application d’authentification (TOTP)
level-retry = Me connecter autrement
level-add-title = En ajouter une maintenant
level-add-intro = Vous pouvez ajouter l’une de ces méthodes dès maintenant. Nous enverrons ensuite un lien à votre adresse électronique confirmée : ouvrez-le dans ce navigateur pour confirmer la nouvelle méthode, puis connectez-vous avec elle pour continuer.
level-add-passkey = Ajouter une clé d’accès
level-add-totp = Configurer une application d’authentification
level-mail-sent-title = Confirmez depuis votre messagerie
level-mail-sent = C’est ajouté. Un lien vient d’être envoyé à votre adresse électronique confirmée : ouvrez-le dans ce navigateur pour confirmer cette méthode, puis connectez-vous avec elle pour continuer.
credential-confirmed = C’est confirmé : connectez-vous avec votre nouvelle méthode pour continuer.
enrol-title = Ajouter une clé d’accès
enrol-intro = Votre appareil va vous proposer de créer une clé d’accès pour ce compte. Elle comptera pleinement une fois confirmée par le lien que nous vous enverrons par courriel ; vous pourrez alors continuer vers « { $client } ».
enrol-intro-unnamed = Votre appareil va vous proposer de créer une clé d’accès pour ce compte. Elle comptera pleinement une fois confirmée par le lien que nous vous enverrons par courriel.
enrol-back = Revenir aux autres méthodes
account-disabled = Ce compte est désactivé. Contactez votre mairie ou le service qui le gère.
passkey-sign-in-button = Se connecter avec une clé d’accès
passkey-failed = La clé d’accès n’a pas pu être utilisée. Réessayez.
passkey-unsupported = Ce navigateur ne sait pas utiliser les clés d’accès.
passkey-needs-script = Créer une clé d’accès nécessite JavaScript dans ce navigateur.
passkey-unknown = Cette clé d’accès n’est pas enregistrée ici. Utilisez-en une autre, ou un code de secours.
signup-link = Créer un compte
recover-link = Clé d’accès perdue ?
otp-title = Code de vérification
otp-intro = Saisissez le code à 6 chiffres affiché par votre application d’authentification.
otp-label = Code
otp-failed = Ce code n’est pas valide. Attendez le suivant et réessayez.
signup-title = Créer un compte
signup-intro = Votre compte est protégé par une clé d’accès : votre appareil la déverrouille avec votre empreinte, votre visage ou votre code. Aucun mot de passe à retenir.
signup-username-help = 2 à 64 caractères, sans espace.
signup-email-help = Facultatif : sert seulement à vous aider à récupérer votre compte.
signup-username-taken = Cet identifiant est déjà pris. Choisissez-en un autre.
signup-username-invalid = Un identifiant compte 2 à 64 caractères, sans espace.
signup-button = Créer mon compte avec une clé d’accès
signup-closed = Ce service n’accepte pas de nouveaux comptes ici.
signup-invitation-needed = Créer un compte ici nécessite une invitation.
signup-invitation-invalid = Cette invitation a déjà servi ou a expiré.
email-label = Adresse électronique
recovery-codes-title = Codes de secours
recovery-codes-intro = Gardez ces codes en lieu sûr (sur papier ou dans un gestionnaire de mots de passe). Chacun vous permet d’entrer une fois dans votre compte si vous perdez votre clé d’accès. Ils ne sont affichés que maintenant.
recovery-codes-saved = J’ai noté mes codes, continuer
recovery-codes-left = Codes non utilisés restants : { $count }.
recovery-codes-new = Créer de nouveaux codes de secours
recover-title = Récupérer votre compte
recover-code-title = Avec un code de secours
recover-code-label = Code de secours
recover-button = Récupérer mon compte
recover-email-title = Par courriel
recover-email-button = M’envoyer un lien
recover-email-confirm = Confirmez pour vous connecter et ajouter une nouvelle clé d’accès.
recovery-failed = Cet identifiant et ce code de secours ne correspondent pas.
recovery-mail-sent = Si un compte a cette adresse confirmée, un lien lui a été envoyé.
email-link-invalid = Ce lien a déjà servi, a expiré ou n’est pas valide.
email-verified-title = Adresse confirmée
email-verified = Votre adresse électronique est confirmée.
totp-title = Application d’authentification
totp-intro = Scannez ce code avec votre application d’authentification, puis saisissez le code qu’elle affiche.
totp-manual = Ou saisissez cette clé à la main :
totp-enable = Activer
totp-is-on = La connexion par mot de passe demande aussi un code de votre application.
totp-is-off = Un code d’application peut protéger votre mot de passe.
totp-set-up = Configurer
totp-disable = Désactiver l’application d’authentification
account-title = Votre compte
account-intro = Vous utilisez le compte { $user }.
passkeys-title = Clés d’accès
passkeys-none = Aucune clé d’accès pour l’instant.
passkey-created = Ajoutée le { $date }
passkey-last-used = dernière utilisation le { $date }
passkey-never-used = jamais utilisée
passkey-model = { $model } (selon l’appareil, non vérifié)
passkey-model-unknown = type d’appareil inconnu
passkey-synced = synchronisée
passkey-device-bound = sur cet appareil seulement
passkey-manage = Gérer « { $name } »
passkey-name-label = Nom
passkey-rename = Renommer
passkey-remove = Supprimer la clé d’accès « { $name } »
passkey-last-warning = C’est votre seul moyen de connexion. Sans elle, il vous faudra un code de secours.
passkey-last-confirm-label = Je comprends, la supprimer quand même
passkey-add = Ajouter une clé d’accès
passkey-used-now = utilisée pour cette connexion
passkey-default-name = Clé d’accès – { $browser } sur { $os }
passkey-default-name-one = Clé d’accès – { $device }
password-title = Mot de passe
password-is-set = Vous pouvez aussi vous connecter avec un mot de passe.
password-not-set = Vous vous connectez sans mot de passe.
password-new-label = Nouveau mot de passe
password-help = Au moins 12 caractères. Une longue phrase est idéale.
password-change = Changer le mot de passe
password-set-button = Définir un mot de passe
password-remove = Supprimer le mot de passe
email-title = Courriel
email-verified-state = confirmée
email-unverified-state = pas encore confirmée
email-save = Enregistrer et envoyer un lien de confirmation
sessions-title = Vos sessions ouvertes
session-since = depuis le { $date }
session-current = ce navigateur
session-end = Déconnecter
passkey-added = La clé d’accès a été ajoutée.
passkey-renamed = La clé d’accès a été renommée.
passkey-removed = La clé d’accès a été supprimée.
passkey-last-confirm = Cette clé d’accès est votre seul moyen de connexion : cochez la case pour confirmer sa suppression.
password-set = Le mot de passe a été enregistré.
password-removed = Le mot de passe a été supprimé.
password-too-short = Un mot de passe doit compter au moins 12 caractères.
password-last = Le mot de passe est votre seul moyen de connexion : ajoutez d’abord une clé d’accès.
totp-enabled = L’application d’authentification est activée.
totp-disabled = L’application d’authentification est désactivée.
session-ended = Cette session a été fermée.
email-sent = Un lien de confirmation a été envoyé à cette adresse.
email-invalid = Cette adresse électronique n’est pas valide.
recovered = Vous avez retrouvé l’accès à votre compte. Ajoutez dès maintenant une nouvelle clé d’accès pour ne plus avoir besoin d’un code de secours.

# Connexion avec un compte d'une autre collectivité de la fédération
peers-link = Votre compte est dans une autre collectivité ?
peers-title = Où est votre compte ?
peers-intro = Connectez-vous avec le compte que vous avez auprès d’une autre collectivité ou d’un autre opérateur de confiance de { $tenant }.
peers-last = Votre dernier choix sur cet appareil :
peers-continue = Continuer avec { $peer }
peers-search-label = Rechercher votre collectivité
peers-search-button = Rechercher
peers-no-match = Aucune collectivité ne correspond à « { $q } ».
peers-none = Aucune autre collectivité n’est disponible pour le moment.
peers-back = Revenir à la connexion
peer-sign-in-cancelled = La connexion auprès de l’autre collectivité n’a pas abouti. Choisissez un autre moyen de vous connecter.
peer-sign-in-failed = La connexion auprès de l’autre collectivité n’a pas pu être vérifiée. Réessayez ou choisissez un autre moyen de vous connecter.
error-peer-unknown = Cette collectivité ne fait pas partie de celles proposées ici.
error-peer-directory = La liste des collectivités de la fédération n’a pas pu être lue. Réessayez dans quelques instants.
error-peer-sign-in = La connexion auprès de l’autre collectivité n’a pas pu commencer. Réessayez dans quelques instants.
error-peer-expired = Cette connexion a expiré ou a déjà été utilisée. Retournez sur le service et recommencez.
error-detail-label = Détail technique pour le service (en anglais) :

# Moyens de connexion ajoutés depuis une session plus faible, et liens de confirmation
credential-limited = Il a été ajouté après une connexion à un seul facteur : il ne compte que pour un facteur, et les services qui demandent une connexion à deux facteurs ne l’accepteront pas seul.
credential-upgrade-button = Confirmer « { $name } » par courriel
upgrade-mail-sent = Un lien a été envoyé à votre adresse confirmée. Ouvrez-le dans ce navigateur pour terminer.
upgrade-needs-email = Confirmez d’abord une adresse électronique : le lien y est envoyé.
credential-upgraded = C’est confirmé : ce moyen de connexion compte désormais pleinement.
upgrade-title = Confirmez votre nouveau moyen de connexion
upgrade-confirm = Confirmez que vous avez ajouté ce moyen de connexion. Si ce n’est pas vous, ne confirmez pas : changez plutôt votre mot de passe.
email-verify-title = Confirmez votre adresse
email-verify-confirm = Confirmez que cette adresse électronique appartient à votre compte.
email-taken = Cette adresse est déjà confirmée pour un autre compte.
mail-link-sign-in-first = Connectez-vous à votre compte dans ce navigateur, puis rouvrez le lien.
mail-link-other-account = Ce lien a été envoyé pour un autre compte ou une autre connexion.
mail-link-confirm-button = Confirmer
totp-failures-notice = { $count ->
    [one] Un code d’application erroné a été saisi pour votre compte depuis votre dernière visite. Si ce n’était pas vous, quelqu’un connaît votre mot de passe : changez-le.
   *[other] { $count } codes d’application erronés ont été saisis pour votre compte depuis votre dernière visite. Si ce n’était pas vous, quelqu’un connaît votre mot de passe : changez-le.
}

profile-title = Votre identité
profile-given-name = Prénom
profile-family-name = Nom
profile-save = Enregistrer
profile-saved = Votre identité est enregistrée.
profile-invalid = Un nom compte au plus 200 caractères, sans caractères de contrôle.
profile-stale = Votre compte a changé entre-temps : vérifiez vos noms ci-dessous puis enregistrez de nouveau.
services-title = Services connectés
services-none = Vous n’avez autorisé aucun service.
services-help = Retirer un service coupe son accès à votre compte ; il vous demandera de nouveau votre accord la prochaine fois.
service-since = autorisé le { $date }
service-scopes = accès à :
service-withdraw = Retirer l’accès de { $name }
consent-withdrawn = L’accès du service est retiré.
activity-title = Activité récente
activity-none = Aucune activité enregistrée.
activity-failed = échec
activity-by-admin = par l’administration
activity-sign-in = Connexion
activity-user-updated = Identité modifiée
activity-user-disabled = Compte désactivé
activity-user-enabled = Compte réactivé
activity-user-sessions-ended = Sessions fermées
activity-user-credentials-reset = Moyens de connexion réinitialisés
activity-user-exported = Données téléchargées
activity-consent-withdrawn = Accès d’un service retiré
activity-role-granted = Rôle d’administration attribué
activity-role-revoked = Rôle d’administration retiré
data-title = Vos données
data-help = Téléchargez tout ce que ce service conserve sur vous (profil, clés d’accès, sessions, services autorisés, activité), dans un fichier JSON.
data-download = Télécharger mes données
delete-title = Supprimer mon compte
delete-help = La suppression est définitive : votre profil, vos clés d’accès, votre mot de passe et vos autorisations sont effacés, toutes vos sessions sont fermées, et votre identifiant ne pourra plus être utilisé pour vous connecter. Le journal de sécurité garde une trace anonyme de la suppression.
delete-confirm-label = Je comprends que la suppression de mon compte est définitive.
delete-button = Supprimer mon compte
delete-unconfirmed = Cochez la case pour confirmer la suppression.
delete-last-operator = Ce compte est le dernier opérateur de l’installation : il ne peut pas être supprimé.
account-deleted-title = Compte supprimé
account-deleted-message = Votre compte et vos données ont été supprimés. Votre session est fermée.
activity-recovery-used = Compte récupéré
activity-passkey-added = Clé d’accès ajoutée
activity-passkey-removed = Clé d’accès retirée
activity-password-set = Mot de passe défini
activity-password-removed = Mot de passe retiré
activity-totp-enabled = Double authentification activée
activity-totp-disabled = Double authentification désactivée
activity-recovery-codes-renewed = Nouveaux codes de récupération
activity-email-changed = Adresse électronique modifiée
activity-session-ended = Session fermée
activity-consent-given = Accès accordé à un service

## Console d'administration (<issuer>/admin)
console-title = Administration
console-nav = Administration
console-skip = Aller au contenu
console-nav-users = Comptes
console-nav-clients = Services
console-nav-keys = Clés de signature
console-nav-audit = Journal d’audit
console-nav-settings = Paramètres
console-nav-tenants = Collectivités
console-forbidden = Votre compte n’a pas de rôle d’administration ici. Un opérateur peut vous en donner un (trame admin grant).
console-read-only = Votre rôle permet de consulter, pas de modifier.
console-read-only-note = Votre rôle (auditeur) permet de consulter, pas de modifier.
console-operators-only = Seuls les opérateurs de l’installation voient cette page.
console-invalid-form = Ce formulaire contient une valeur non valide. Revenez à la page et recommencez.
console-search = Rechercher
console-filter = Filtrer
console-save = Enregistrer
console-next-page = Page suivante
console-yes = oui
console-no = non
console-none = aucun
console-username = Identifiant
console-name = Nom
console-email = Adresse électronique
console-status = État
console-active = Actif
console-disabled = Désactivé
console-disabled-since = Désactivé depuis le { $date }
console-verified = vérifiée
console-unverified = non vérifiée
console-created = Créé le
console-credentials = Moyens de connexion
console-credentials-summary = { $passkeys ->
    [0] aucune clé d’accès
    [one] une clé d’accès
   *[other] { $passkeys } clés d’accès
  }, mot de passe : { $password }, TOTP : { $totp }
console-roles = Rôles
console-users-title = Comptes
console-users-search = Rechercher un compte
console-users-search-help = Le début d’un identifiant, d’une adresse électronique, d’un prénom ou d’un nom, sans tenir compte des majuscules ni des accents.
console-users-found = Comptes commençant par « { $q } »
console-users-all = Tous les comptes, par identifiant
console-users-none = Aucun compte ne correspond.
console-back-users = Retour aux comptes
console-passkeys-none = Aucune clé d’accès.
console-sessions-title = Sessions ouvertes
console-sessions-none = Aucune session ouverte.
console-device = Appareil
console-since = Depuis le
console-until = Jusqu’au
console-end-sessions = Fermer toutes ses sessions
console-trail-title = Historique
console-trail-all = Tout l’historique de ce compte
console-actions-title = Actions
console-disable = Désactiver le compte
console-disable-help = Le compte ne pourra plus se connecter, ses sessions sont fermées et ses jetons cessent aussitôt de fonctionner. Vous pourrez le réactiver.
console-enable = Réactiver le compte
console-reset-title = Réinitialiser les moyens de connexion
console-reset-help-mail = Supprime les clés d’accès, le mot de passe, le TOTP et les codes de secours, ferme les sessions, et envoie un lien de récupération à l’adresse vérifiée de la personne.
console-reset-help-no-mail = Supprime les clés d’accès, le mot de passe, le TOTP et les codes de secours et ferme les sessions. Ce compte n’a pas d’adresse vérifiée : donnez-lui ensuite un autre moyen de revenir (un mot de passe provisoire avec trame user set-password, ou une adresse vérifiée et la page de récupération).
console-reset = Réinitialiser
console-delete-title = Supprimer le compte
console-delete-help = Suppression définitive (RGPD) : les données personnelles sont effacées, les sessions fermées, les services prévenus. Le journal d’audit garde une trace anonyme.
console-type-to-confirm = Pour confirmer, saisissez « { $name } »
console-delete-user = Supprimer définitivement
console-user-disabled = Le compte est désactivé.
console-user-enabled = Le compte est réactivé.
console-user-deleted = Le compte est supprimé.
console-user-sessions-ended = Ses sessions sont fermées.
console-user-reset-link-sent = Les moyens de connexion sont supprimés et un lien de récupération est envoyé.
console-user-reset-no-address = Les moyens de connexion sont supprimés. Sans adresse vérifiée (ou sans envoi de courriel), aucun lien n’est parti : donnez à la personne un autre moyen de revenir.
console-last-operator = C’est le dernier opérateur de l’installation : nommez-en un autre d’abord.
console-unconfirmed = Le nom saisi ne correspond pas : rien n’a été changé.
console-clients-title = Services
console-clients-none = Aucun service enregistré.
console-client-new = Enregistrer un service
console-back-clients = Retour aux services
console-client-id = Identifiant du service (client_id)
console-client-id-help = Lettres, chiffres, points, tirets ; il ne change plus ensuite.
console-client-name = Nom affiché aux usagers
console-client-kind = Type
console-kind-web = Application web avec serveur
console-kind-web-help = Elle garde un secret sur son serveur (client_secret_basic), connexion des usagers.
console-kind-public = Application mobile ou monopage
console-kind-public-help = Sans secret, protégée par PKCE, connexion des usagers.
console-kind-service = Service sans usager
console-kind-service-help = Un programme qui appelle des API avec son secret (client_credentials).
console-client-federation = inscrit par fédération
console-redirect-uris = Adresses de retour (redirect_uris)
console-redirect-uris-help = Une par ligne, comparées à l’identique ; https obligatoire hors localhost.
console-logout-uris = Adresses de retour après déconnexion (facultatif)
console-scope = Portées autorisées (scope)
console-scope-help = Séparées par des espaces, par exemple : openid profile email
console-client-register = Enregistrer
console-client-invalid = Le champ « { $field } » n’est pas accepté.
console-client-created = Service « { $id } » enregistré
console-secret-rotated = Nouveau secret pour « { $id } »
console-secret-once = Copiez ce secret maintenant : il ne sera plus jamais affiché. Trame n’en garde qu’une empreinte.
console-client-secret = Secret du service (client_secret)
console-client-see = Voir le service « { $id } »
console-rotate-secret = Générer un nouveau secret
console-rotate-secret-help = L’ancien secret cesse aussitôt de fonctionner.
console-client-delete-title = Supprimer le service
console-client-delete-help = Ses jetons cessent de fonctionner et les usagers ne pourront plus s’y connecter.
console-client-delete = Supprimer le service
console-client-deleted = Le service est supprimé.
console-keys-title = Clés de signature
console-keys-help = Les jetons sont signés par la clé active ; les clés publiées sont dans le JWKS pour vérifier les jetons déjà émis.
console-key-id = Identifiant (kid)
console-key-alg = Algorithme
console-key-signs-from = Signe à partir du
console-key-next = publiée, pas encore active
console-key-active = active
console-key-retiring = en retrait (vérification seulement)
console-key-retired = retirée
console-key-rotate-title = Remplacer la clé
console-key-delay = La nouvelle clé signe
console-key-delay-hours = { $hours ->
    [0] tout de suite
   *[other] dans { $hours } heures
  }
console-key-rotate = Remplacer la clé
console-key-rotated = Une nouvelle clé est publiée.
console-audit-title = Journal d’audit
console-audit-invalid = Une date n’est pas valide, ou la date de début suit celle de fin.
console-when = Date
console-actor = Auteur
console-action = Action
console-target = Cible
console-outcome = Résultat
console-address = Adresse
console-success = réussite
console-failure = échec
console-records-none = Aucun événement.
console-settings-title = Paramètres
console-slug = Identifiant
console-issuer = Émetteur (issuer)
console-display-name = Nom affiché
console-display-name-invalid = Le nom affiché compte 1 à 200 caractères imprimables.
console-settings-saved = Les paramètres sont enregistrés.
console-settings-stale = Les paramètres ont changé entre-temps : voici leur état actuel, rien n’a été écrasé.
console-policies-title = Règles
console-policies-help = Elles changent ce que les usagers peuvent faire : l’opérateur les modifie avec « trame tenant set { $slug } ».
console-policy-registration = Inscription
console-policy-dynamic-registration = Inscription dynamique des services
console-policy-usernames = Identifiants
console-policy-credential-upgrade = Relèvement des moyens de connexion
console-policy-acr-rules = Niveaux de garantie
console-tenants-title = Collectivités
console-tenant-users = Comptes
console-tenant-clients = Services

## En-tête et pied de page : la collectivité et les mentions obligatoires
brand-home = accueil du site de la collectivité
footer-legal-notice = Mentions légales
footer-privacy = Données personnelles
footer-accessibility-full = Accessibilité : totalement conforme
footer-accessibility-partial = Accessibilité : partiellement conforme
footer-accessibility-none = Accessibilité : non conforme
footer-contact = Contact
signup-privacy-notice = { $tenant } utilise votre identifiant et votre adresse électronique pour vous permettre de vous connecter à ses services en ligne. Ils ne sont transmis à un service qu’avec votre accord.
footer-transparency = Transparence

## The public transparency page
transparency-title = Transparence
transparency-intro = Ces chiffres comptent des opérations (connexions, jetons délivrés, échanges entre instances), jamais des personnes. Un nombre compris entre 1 et 9 est affiché « < 10 ».
transparency-dependency-title = Dépendance extra-européenne
transparency-within-eea = { $percent } % des opérations des douze derniers mois n’ont fait intervenir aucun prestataire établi hors de l’Union européenne et de l’Espace économique européen.
transparency-no-transactions = Aucune opération sur les douze derniers mois.
transparency-percent = { $percent } %
transparency-fewer-than-ten = < 10
transparency-fewer-than-ten-long = entre 1 et 9
transparency-months-title = Opérations par mois
transparency-days-title = Opérations par jour (31 derniers jours)
transparency-col-period = Période
transparency-col-sign_in_passkey = Connexions par clé d’accès
transparency-col-sign_in_password = Connexions par mot de passe
transparency-col-sign_in_peer = Connexions via une instance partenaire
transparency-col-sign_in_upstream = Connexions via un fournisseur d’identité
transparency-col-sign_in_other = Autres connexions (récupération de compte)
transparency-col-tokens = Jetons délivrés
transparency-col-federation_in = Échanges de fédération reçus
transparency-col-federation_out = Échanges de fédération émis
transparency-col-mails = Courriels envoyés
transparency-col-services = Services utilisés
transparency-col-within-eea = Sans prestataire hors UE/EEE
transparency-providers-title = Prestataires déclarés par l’exploitant
transparency-providers-none = L’exploitant n’a déclaré aucun prestataire.
transparency-col-provider = Prestataire
transparency-col-country = Pays
transparency-col-role = Rôle
transparency-col-eea = Dans l’UE/EEE
transparency-yes = Oui
transparency-no = Non
transparency-hosts-title = Serveurs contactés par l’installation (31 derniers jours)
transparency-hosts-none = Aucun serveur extérieur n’a été contacté.
transparency-col-host = Serveur
transparency-col-requests = Requêtes
transparency-col-declared = Origine
transparency-configured = Configuré
transparency-unexpected = Ni configuré ni déclaré
transparency-json = Ces chiffres au format JSON

## E-mails (plain text; $name: the collectivité, $link: the link to open)
mail-verify-subject = { $name } : confirmez votre adresse
mail-verify-body =
    Bonjour,

    Pour confirmer votre adresse pour { $name }, ouvrez ce lien dans le navigateur où votre compte est ouvert :
    { $link }

    Si vous n’êtes pas à l’origine de cette demande, ignorez ce message.
mail-recovery-subject = { $name } : récupération de compte
mail-recovery-body =
    Bonjour,

    Pour retrouver l’accès à votre compte { $name }, ouvrez ce lien dans les 30 minutes :
    { $link }

    Si vous n’avez rien demandé, ignorez ce message : votre compte reste protégé.
mail-reset-subject = { $name } : nouveaux moyens de connexion
mail-reset-body =
    Bonjour,

    L’équipe d’administration de { $name } a retiré les moyens de connexion de votre compte (clés d’accès, mot de passe, double authentification, codes de récupération). Pour vous connecter et ajouter une nouvelle clé d’accès, ouvrez ce lien dans les 30 minutes :
    { $link }

    Si vous n’attendiez pas ce message, contactez { $name }.
mail-upgrade-subject = { $name } : confirmez votre moyen de connexion
mail-upgrade-body =
    Bonjour,

    Pour que votre nouveau moyen de connexion à { $name } compte pleinement, ouvrez ce lien dans les 30 minutes, dans le navigateur où vous l’avez ajouté :
    { $link }

    Si vous n’avez rien ajouté, quelqu’un connaît peut-être votre mot de passe : changez-le et retirez ce moyen de connexion.

## Dates as pages show them ($day, $month: the month's name, $year; $date, $time in 24-hour form, UTC)
date-day = { $day } { $month } { $year }
date-time = { $date } à { $time } (UTC)
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

## The language switcher (the name is each language's own)
language-name = Français
language-switcher-label = Langue

## Accessibility: text alternatives and warnings (RGAA 1.1, 13.2)
totp-qr-alt = Code QR à scanner avec votre application d’authentification ; la clé à saisir à la main figure ci-dessous.
new-window = nouvelle fenêtre
