sign-in-title = Iniciar sesión
sign-in-intro = Inicie sesión para continuar en { $client }.
username-label = Nombre de usuario
password-label = Contraseña
sign-in-button = Iniciar sesión
sign-in-failed = Nombre de usuario o contraseña incorrectos.
too-many-attempts = Demasiados intentos. Vuelva a intentarlo dentro de unos minutos.
consent-title = Autorización
consent-intro = { $client } solicita acceso a su cuenta { $user }:
consent-approve = Autorizar
consent-deny = Rechazar
consent-policy = Política de privacidad de { $client }
consent-tos = Condiciones de uso de { $client }
scope-openid = su identificador
scope-profile = su nombre y su perfil
scope-email = su dirección de correo electrónico
scope-phone = su número de teléfono
scope-address = su dirección postal
scope-offline_access = un acceso mantenido aunque no tenga la sesión iniciada
scope-openid-help = Un identificador propio de su cuenta, que permite al servicio saber que es usted cuando vuelva. No contiene ni su nombre ni sus datos de contacto.
scope-profile-help = Su nombre, sus apellidos, su nombre de usuario y su idioma, tal como figuran en su cuenta.
scope-email-help = Su dirección de correo electrónico, y si la ha confirmado.
scope-phone-help = Su número de teléfono, y si ha sido confirmado.
scope-address-help = La dirección postal registrada en su cuenta.
scope-offline_access-help = El servicio podrá seguir obteniendo la información anterior cuando usted no lo esté utilizando, hasta que le retire el acceso desde su cuenta.
logout-title = Cerrar sesión
logout-question = ¿Desea cerrar la sesión?
logout-button = Cerrar sesión
logout-cancel = Cancelar y mantener la sesión iniciada
logout-cancel-to = Cancelar y volver a { $client }
signed-out-title = Sesión cerrada
signed-out-message = Ha cerrado la sesión.
back-to-service = Volver a { $client }
back-to-service-unnamed = Volver al servicio
back-to-site = Ir al sitio web de { $tenant }
signing-out-title = Cerrando la sesión
signing-out-message = Cerrando la sesión en los servicios que ha utilizado…
signing-out-frame = Aviso de cierre de sesión a un servicio
form-post-title = Redirección
form-post-message = Volviendo al servicio…
continue-button = Continuar
error-title = Error
error-not-found = Esta página no existe.
error-bad-request = La solicitud no es válida.
error-internal = Se ha producido un error interno. Vuelva a intentarlo más tarde.
error-unavailable = El servicio no está disponible temporalmente. Vuelva a intentarlo dentro de unos instantes.
error-missing-client-id = La solicitud de inicio de sesión no indica el servicio (falta client_id).
error-unknown-client = El servicio que solicita el inicio de sesión es desconocido.
error-request-object = No se ha podido verificar la solicitud del servicio.
error-federation-trust = No se ha podido verificar este servicio ante la federación de confianza a la que afirma pertenecer.
error-missing-redirect-uri = La solicitud de inicio de sesión no indica la dirección de retorno (falta redirect_uri).
error-redirect-uri = La dirección de retorno no está registrada para este servicio.
error-duplicate-param = La solicitud de inicio de sesión contiene un parámetro duplicado.
error-param-too-long = La solicitud de inicio de sesión contiene un parámetro demasiado largo.
error-interaction-expired = Esta solicitud de inicio de sesión ha caducado. Vuelva al servicio y empiece de nuevo.
error-csrf = Ha fallado la comprobación de seguridad del formulario. Vuelva al servicio y empiece de nuevo.
error-logout-redirect = La dirección de retorno tras el cierre de sesión no está registrada para este servicio.
error-logout-hint = El token proporcionado para cerrar la sesión no es válido.
error-sign-in-again = Por seguridad, vuelva a iniciar sesión para modificar su cuenta.
error-signed-out = Su sesión se ha cerrado. Vuelva a iniciar sesión.
error-stronger-sign-in = Este servicio exige un inicio de sesión más seguro.
or = o
step-up-intro = Este servicio exige un inicio de sesión más seguro: utilice una llave de acceso.
stronger-sign-in-needed = Este servicio exige un inicio de sesión más seguro que una simple contraseña. Inicie sesión con una llave de acceso.
level-needed-title = Se necesita un inicio de sesión más seguro
level-needed-message = Este servicio exige un inicio de sesión más seguro que el que ha utilizado. Cualquiera de estos métodos sirve:
level-way-passkey = una llave de acceso, desbloqueada con su huella, su rostro o su PIN
level-way-password-totp = su contraseña, seguida de un código de su aplicación de autenticación (TOTP)
level-retry = Iniciar sesión de otra forma
account-disabled = Esta cuenta está desactivada. Póngase en contacto con su ayuntamiento o con el servicio que la gestiona.
passkey-sign-in-button = Iniciar sesión con una llave de acceso
passkey-failed = No se ha podido utilizar la llave de acceso. Vuelva a intentarlo.
passkey-unsupported = Este navegador no puede utilizar llaves de acceso.
passkey-needs-script = Para crear una llave de acceso, este navegador necesita JavaScript.
passkey-unknown = Esta llave de acceso no está registrada aquí. Utilice otra o un código de recuperación.
signup-link = Crear una cuenta
recover-link = ¿Ha perdido su llave de acceso?
otp-title = Código de verificación
otp-intro = Introduzca el código de 6 cifras que muestra su aplicación de autenticación.
otp-label = Código
otp-failed = Este código no es válido. Espere al siguiente y vuelva a intentarlo.
signup-title = Crear una cuenta
signup-intro = Su cuenta está protegida por una llave de acceso: su dispositivo la desbloquea con su huella dactilar, su rostro o su código de desbloqueo. Sin contraseñas que recordar.
signup-username-help = De 2 a 64 caracteres, sin espacios.
signup-email-help = Opcional: solo sirve para ayudarle a recuperar su cuenta.
signup-username-taken = Este nombre de usuario ya está en uso. Elija otro.
signup-username-invalid = Un nombre de usuario tiene de 2 a 64 caracteres, sin espacios.
signup-button = Crear mi cuenta con una llave de acceso
signup-closed = Este servicio no admite nuevas cuentas aquí.
signup-invitation-needed = Para crear una cuenta aquí se necesita una invitación.
signup-invitation-invalid = Esta invitación ya se ha utilizado o ha caducado.
email-label = Dirección de correo electrónico
recovery-codes-title = Códigos de recuperación
recovery-codes-intro = Guarde estos códigos en un lugar seguro (en papel o en un gestor de contraseñas). Cada uno le permite entrar una vez en su cuenta si pierde su llave de acceso. Solo se muestran ahora.
recovery-codes-saved = He guardado mis códigos, continuar
recovery-codes-left = Códigos sin usar restantes: { $count }.
recovery-codes-new = Crear nuevos códigos de recuperación
recover-title = Recuperar su cuenta
recover-code-title = Con un código de recuperación
recover-code-label = Código de recuperación
recover-button = Recuperar mi cuenta
recover-email-title = Por correo electrónico
recover-email-button = Enviarme un enlace
recover-email-confirm = Confirme para iniciar sesión y añadir una nueva llave de acceso.
recovery-failed = Este nombre de usuario y este código de recuperación no coinciden.
recovery-mail-sent = Si alguna cuenta tiene esta dirección confirmada, se le ha enviado un enlace.
email-link-invalid = Este enlace ya se ha utilizado, ha caducado o no es válido.
email-verified-title = Dirección confirmada
email-verified = Su dirección de correo electrónico está confirmada.
totp-title = Aplicación de autenticación
totp-intro = Escanee este código con su aplicación de autenticación y, a continuación, introduzca el código que aparezca en ella.
totp-manual = O introduzca esta clave manualmente:
totp-enable = Activar
totp-is-on = El inicio de sesión con contraseña también pide un código de su aplicación.
totp-is-off = Un código de aplicación puede proteger su contraseña.
totp-set-up = Configurar
totp-disable = Desactivar la aplicación de autenticación
account-title = Su cuenta
account-intro = Sesión iniciada como { $user }.
passkeys-title = Llaves de acceso
passkeys-none = Todavía no hay ninguna llave de acceso.
passkey-created = Añadida el { $date }
passkey-last-used = último uso el { $date }
passkey-never-used = nunca utilizada
passkey-model = { $model } (según el dispositivo, sin verificar)
passkey-model-unknown = tipo de dispositivo desconocido
passkey-synced = sincronizada
passkey-device-bound = solo en este dispositivo
passkey-manage = Gestionar «{ $name }»
passkey-name-label = Nombre
passkey-rename = Cambiar el nombre
passkey-remove = Eliminar la llave de acceso «{ $name }»
passkey-last-warning = Es su único método de inicio de sesión. Sin esta llave, necesitará un código de recuperación.
passkey-last-confirm-label = Lo entiendo, eliminarla de todos modos
passkey-add = Añadir una llave de acceso
passkey-used-now = usada para este inicio de sesión
passkey-default-name = Llave de acceso – { $browser } en { $os }
passkey-default-name-one = Llave de acceso – { $device }
password-title = Contraseña
password-is-set = También puede iniciar sesión con una contraseña.
password-not-set = Su cuenta no utiliza contraseña para iniciar sesión.
password-new-label = Nueva contraseña
password-help = Al menos 12 caracteres. Lo ideal es una frase larga.
password-change = Cambiar la contraseña
password-set-button = Establecer una contraseña
password-remove = Eliminar la contraseña
email-title = Correo electrónico
email-verified-state = confirmada
email-unverified-state = aún no confirmada
email-save = Guardar y enviar un enlace de confirmación
sessions-title = Dónde tiene la sesión iniciada
session-since = desde el { $date }
session-current = este navegador
session-end = Cerrar sesión
passkey-added = Se ha añadido la llave de acceso.
passkey-renamed = Se ha cambiado el nombre de la llave de acceso.
passkey-removed = Se ha eliminado la llave de acceso.
passkey-last-confirm = Esta llave de acceso es su único método de inicio de sesión: marque la casilla para confirmar su eliminación.
password-set = Se ha guardado la contraseña.
password-removed = Se ha eliminado la contraseña.
password-too-short = Una contraseña debe tener al menos 12 caracteres.
password-last = La contraseña es su único método de inicio de sesión: añada antes una llave de acceso.
totp-enabled = La aplicación de autenticación está activada.
totp-disabled = La aplicación de autenticación está desactivada.
session-ended = Se ha cerrado esa sesión.
email-sent = Se ha enviado un enlace de confirmación a esta dirección.
email-invalid = Esta dirección de correo electrónico no es válida.
recovered = Ha iniciado sesión. Añada ahora una nueva llave de acceso para no volver a necesitar un código de recuperación.

# Inicio de sesión con una cuenta de otra entidad local de la federación
peers-link = ¿Su cuenta está en otra entidad local?
peers-title = ¿Dónde está su cuenta?
peers-intro = Inicie sesión con la cuenta que tiene en otra entidad local o en otro operador de confianza de { $tenant }.
peers-last = Su última elección en este dispositivo:
peers-continue = Continuar con { $peer }
peers-search-label = Buscar su entidad local
peers-search-button = Buscar
peers-no-match = Ninguna entidad local coincide con «{ $q }».
peers-none = Por el momento no hay ninguna otra entidad local disponible.
peers-back = Volver al inicio de sesión
peer-sign-in-cancelled = El inicio de sesión en la otra entidad local no se ha completado. Elija otro modo de iniciar sesión.
peer-sign-in-failed = No se ha podido verificar el inicio de sesión en la otra entidad local. Vuelva a intentarlo o elija otro modo de iniciar sesión.
error-peer-unknown = Esta entidad local no figura entre las que se ofrecen aquí.
error-peer-directory = No se ha podido leer la lista de entidades locales de la federación. Vuelva a intentarlo dentro de unos instantes.
error-peer-sign-in = No se ha podido empezar el inicio de sesión en la otra entidad local. Vuelva a intentarlo dentro de unos instantes.
error-peer-expired = Este inicio de sesión ha caducado o ya se ha utilizado. Vuelva al servicio y empiece de nuevo.
error-detail-label = Detalle técnico para el servicio (en inglés):

# Métodos de inicio de sesión añadidos desde una sesión más débil, y enlaces de confirmación
credential-limited = Este método de inicio de sesión se añadió tras un inicio de sesión con un solo factor: solo cuenta como un factor, y los servicios que exigen un inicio de sesión con dos factores no lo aceptarán por sí solo.
credential-upgrade-button = Confirmar «{ $name }» por correo electrónico
upgrade-mail-sent = Se ha enviado un enlace a su dirección confirmada. Ábralo en este navegador para terminar.
upgrade-needs-email = Confirme primero una dirección de correo electrónico: el enlace se envía a ella.
credential-upgraded = Confirmado: este método de inicio de sesión ya cuenta plenamente.
upgrade-title = Confirme su nuevo método de inicio de sesión
upgrade-confirm = Confirme que ha añadido este método de inicio de sesión. Si no ha sido usted, no confirme: en su lugar, cambie su contraseña.
email-verify-title = Confirme su dirección
email-verify-confirm = Confirme que esta dirección de correo electrónico pertenece a su cuenta.
email-taken = Esta dirección ya está confirmada para otra cuenta.
mail-link-sign-in-first = Inicie sesión en su cuenta en este navegador y, después, vuelva a abrir el enlace.
mail-link-other-account = Este enlace se envió para otra cuenta u otro inicio de sesión.
mail-link-confirm-button = Confirmar
totp-failures-notice = { $count ->
    [one] Desde su última visita se ha introducido un código de aplicación incorrecto en su cuenta. Si no ha sido usted, alguien conoce su contraseña: cámbiela.
   *[other] Desde su última visita se han introducido { $count } códigos de aplicación incorrectos en su cuenta. Si no ha sido usted, alguien conoce su contraseña: cámbiela.
}

profile-title = Su identidad
profile-given-name = Nombre
profile-family-name = Apellidos
profile-save = Guardar
profile-saved = Se ha guardado su identidad.
profile-invalid = Un nombre tiene como máximo 200 caracteres, sin caracteres de control.
profile-stale = Su cuenta ha cambiado mientras tanto: compruebe su nombre y apellidos a continuación y vuelva a guardar.
services-title = Servicios conectados
services-none = No ha autorizado ningún servicio.
services-help = Retirar un servicio le quita el acceso a su cuenta; la próxima vez, el servicio volverá a pedirle su consentimiento.
service-since = autorizado el { $date }
service-scopes = acceso a:
service-withdraw = Retirar el acceso de { $name }
consent-withdrawn = Se ha retirado el acceso del servicio.
activity-title = Actividad reciente
activity-none = No hay actividad registrada.
activity-failed = sin éxito
activity-by-admin = por la administración
activity-sign-in = Inicio de sesión
activity-user-updated = Identidad modificada
activity-user-disabled = Cuenta desactivada
activity-user-enabled = Cuenta reactivada
activity-user-sessions-ended = Sesiones cerradas
activity-user-credentials-reset = Métodos de inicio de sesión restablecidos
activity-user-exported = Datos descargados
activity-consent-withdrawn = Acceso de un servicio retirado
activity-role-granted = Rol de administración asignado
activity-role-revoked = Rol de administración retirado
data-title = Sus datos
data-help = Descargue todo lo que este servicio conserva sobre usted (perfil, llaves de acceso, sesiones, servicios autorizados, actividad) en un archivo JSON.
data-download = Descargar mis datos
delete-title = Eliminar mi cuenta
delete-help = La eliminación es definitiva: se borran su perfil, sus llaves de acceso, su contraseña y sus autorizaciones, se cierra su sesión en todos los servicios y su nombre de usuario ya no podrá utilizarse para iniciar sesión. El registro de seguridad conserva una constancia anónima de la eliminación.
delete-confirm-label = Entiendo que la eliminación de mi cuenta es definitiva.
delete-button = Eliminar mi cuenta
delete-unconfirmed = Marque la casilla para confirmar la eliminación.
delete-last-operator = Esta cuenta es la última con el rol de operador de la instalación: no se puede eliminar.
account-deleted-title = Cuenta eliminada
account-deleted-message = Se han eliminado su cuenta y sus datos. Se ha cerrado su sesión.
activity-recovery-used = Cuenta recuperada
activity-passkey-added = Llave de acceso añadida
activity-passkey-removed = Llave de acceso retirada
activity-password-set = Contraseña establecida
activity-password-removed = Contraseña retirada
activity-totp-enabled = Verificación en dos pasos activada
activity-totp-disabled = Verificación en dos pasos desactivada
activity-recovery-codes-renewed = Nuevos códigos de recuperación
activity-email-changed = Dirección de correo electrónico modificada
activity-session-ended = Sesión cerrada
activity-consent-given = Acceso concedido a un servicio

## Consola de administración (<issuer>/admin)
console-title = Administración
console-nav = Administración
console-skip = Ir al contenido
console-nav-users = Cuentas
console-nav-clients = Servicios
console-nav-keys = Claves de firma
console-nav-audit = Registro de auditoría
console-nav-settings = Configuración
console-nav-tenants = Entidades locales
console-nav-branding = Apariencia
console-forbidden = Su cuenta no tiene ningún rol de administración aquí. Una persona con el rol de operador puede asignarle uno (trame admin grant).
console-read-only = Su rol permite consultar, pero no modificar.
console-read-only-note = Su rol (auditor) permite consultar, pero no modificar.
console-operators-only = Solo las cuentas con el rol de operador de la instalación pueden ver esta página.
console-invalid-form = Este formulario contiene un valor no válido. Vuelva a la página y empiece de nuevo.
console-search = Buscar
console-filter = Filtrar
console-save = Guardar
console-next-page = Página siguiente
console-yes = sí
console-no = no
console-none = ninguno
console-username = Nombre de usuario
console-name = Nombre
console-email = Dirección de correo electrónico
console-status = Estado
console-active = Activa
console-disabled = Desactivada
console-disabled-since = Desactivada desde el { $date }
console-verified = verificada
console-unverified = no verificada
console-created = Fecha de creación
console-credentials = Métodos de inicio de sesión
console-credentials-summary = { $passkeys ->
    [0] ninguna llave de acceso
    [one] una llave de acceso
   *[other] { $passkeys } llaves de acceso
  }, contraseña: { $password }, TOTP: { $totp }
console-roles = Roles
console-users-title = Cuentas
console-users-search = Buscar una cuenta
console-users-search-help = El principio de un nombre de usuario, de una dirección de correo electrónico, de un nombre o de un apellido, sin distinguir mayúsculas ni acentos.
console-users-found = Cuentas que empiezan por «{ $q }»
console-users-all = Todas las cuentas, por nombre de usuario
console-users-none = Ninguna cuenta coincide.
console-back-users = Volver a las cuentas
console-passkeys-none = Ninguna llave de acceso.
console-sessions-title = Sesiones abiertas
console-sessions-none = Ninguna sesión abierta.
console-device = Dispositivo
console-since = Desde
console-until = Hasta
console-end-sessions = Cerrar todas las sesiones de la cuenta
console-trail-title = Historial
console-trail-all = Todo el historial de esta cuenta
console-actions-title = Acciones
console-disable = Desactivar la cuenta
console-disable-help = La cuenta ya no podrá iniciar sesión, se cierran sus sesiones y sus tokens dejan de funcionar de inmediato. Podrá reactivarla.
console-enable = Reactivar la cuenta
console-reset-title = Restablecer los métodos de inicio de sesión
console-reset-help-mail = Elimina las llaves de acceso, la contraseña, el TOTP y los códigos de recuperación, cierra las sesiones y envía un enlace de recuperación a la dirección verificada de la persona.
console-reset-help-no-mail = Elimina las llaves de acceso, la contraseña, el TOTP y los códigos de recuperación, y cierra las sesiones. Esta cuenta no tiene dirección verificada: después, facilite a la persona otra forma de volver a entrar (una contraseña provisional con trame user set-password, o una dirección verificada y la página de recuperación).
console-reset = Restablecer
console-delete-title = Eliminar la cuenta
console-delete-help = Eliminación definitiva (RGPD): se borran los datos personales, se cierran las sesiones y se avisa a los servicios. El registro de auditoría conserva una constancia anónima.
console-type-to-confirm = Para confirmar, escriba «{ $name }»
console-delete-user = Eliminar definitivamente
console-user-disabled = La cuenta está desactivada.
console-user-enabled = La cuenta se ha reactivado.
console-user-deleted = La cuenta se ha eliminado.
console-user-sessions-ended = Se han cerrado las sesiones de la cuenta.
console-user-reset-link-sent = Se han eliminado los métodos de inicio de sesión y se ha enviado un enlace de recuperación.
console-user-reset-no-address = Se han eliminado los métodos de inicio de sesión. Sin dirección verificada (o sin envío de correo electrónico), no se ha enviado ningún enlace: facilite a la persona otra forma de volver a entrar.
console-last-operator = Es la última cuenta con el rol de operador de la instalación: designe antes otra.
console-unconfirmed = El nombre introducido no coincide: no se ha cambiado nada.
console-clients-title = Servicios
console-clients-none = No hay ningún servicio registrado.
console-client-new = Registrar un servicio
console-back-clients = Volver a los servicios
console-client-id = Identificador del servicio (client_id)
console-client-id-help = Letras, cifras, puntos y guiones; después ya no se puede cambiar.
console-client-name = Nombre que ven las personas usuarias
console-client-kind = Tipo
console-kind-web = Aplicación web con servidor
console-kind-web-help = Guarda un secreto en su servidor (client_secret_basic); inicio de sesión de personas usuarias.
console-kind-public = Aplicación móvil o de una sola página
console-kind-public-help = Sin secreto, protegida por PKCE; inicio de sesión de personas usuarias.
console-kind-service = Servicio sin personas usuarias
console-kind-service-help = Un programa que llama a API con su secreto (client_credentials).
console-client-federation = registrado por federación
console-redirect-uris = Direcciones de retorno (redirect_uris)
console-redirect-uris-help = Una por línea, comparadas de forma exacta; https obligatorio salvo en localhost.
console-logout-uris = Direcciones de retorno tras el cierre de sesión (opcional)
console-scope = Ámbitos autorizados (scope)
console-scope-help = Separados por espacios, por ejemplo: openid profile email
console-client-register = Registrar
console-client-invalid = El campo «{ $field }» no se acepta.
console-client-created = Servicio «{ $id }» registrado
console-secret-rotated = Nuevo secreto para «{ $id }»
console-secret-once = Copie este secreto ahora: no se volverá a mostrar nunca. Trame solo conserva una huella criptográfica.
console-client-secret = Secreto del servicio (client_secret)
console-client-see = Ver el servicio «{ $id }»
console-rotate-secret = Generar un nuevo secreto
console-rotate-secret-help = El secreto anterior deja de funcionar de inmediato.
console-client-delete-title = Eliminar el servicio
console-client-delete-help = Los tokens del servicio dejan de funcionar y las personas usuarias ya no podrán iniciar sesión en él.
console-client-delete = Eliminar el servicio
console-client-deleted = El servicio se ha eliminado.
console-keys-title = Claves de firma
console-keys-help = Los tokens se firman con la clave activa; las claves publicadas están en el JWKS para verificar los tokens ya emitidos.
console-key-id = Identificador (kid)
console-key-alg = Algoritmo
console-key-signs-from = Firma desde
console-key-next = publicada, aún no activa
console-key-active = activa
console-key-retiring = en proceso de retirada (solo verificación)
console-key-retired = retirada
console-key-rotate-title = Sustituir la clave
console-key-delay = La nueva clave firmará
console-key-delay-hours = { $hours ->
    [0] de inmediato
    [one] dentro de { $hours } hora
   *[other] dentro de { $hours } horas
  }
console-key-rotate = Sustituir la clave
console-key-rotated = Se ha publicado una nueva clave.
console-audit-title = Registro de auditoría
console-audit-invalid = Una fecha no es válida, o la fecha de inicio es posterior a la de fin.
console-when = Fecha
console-actor = Autoría
console-action = Acción
console-target = Objetivo
console-outcome = Resultado
console-address = Dirección
console-success = éxito
console-failure = fallo
console-records-none = Ningún evento.
console-settings-title = Configuración
console-slug = Identificador
console-issuer = Emisor (issuer)
console-display-name = Nombre visible
console-display-name-invalid = El nombre visible tiene de 1 a 200 caracteres imprimibles.
console-settings-saved = Se ha guardado la configuración.
console-settings-stale = La configuración ha cambiado mientras tanto: este es su estado actual; no se ha sobrescrito nada.
console-policies-title = Reglas
console-policies-help = Determinan lo que pueden hacer las personas usuarias: solo puede modificarlas quien tenga el rol de operador, con «trame tenant set { $slug }».
console-policy-registration = Registro
console-policy-dynamic-registration = Registro dinámico de servicios
console-policy-usernames = Nombres de usuario
console-policy-credential-upgrade = Refuerzo de los métodos de inicio de sesión
console-policy-acr-rules = Niveles de garantía
console-tenants-title = Entidades locales
console-tenant-users = Cuentas
console-tenant-clients = Servicios

## The console's branding page and time zone setting
console-branding-title = Apariencia y menciones
console-branding-help = El logotipo, el color y los enlaces que muestran todas las páginas de la entidad: encabezado, pie de página y menciones obligatorias de un sitio público.
console-branding-logo = Logotipo
console-branding-logo-current = Logotipo actual de { $tenant }
console-branding-logo-none = Sin logotipo: las páginas muestran el nombre de la entidad.
console-branding-logo-file = Nuevo logotipo (SVG o PNG)
console-branding-logo-help = 60 KiB como máximo. Un SVG se reescribe sin scripts ni enlaces externos; su texto debe convertirse en trazados. Déjelo vacío para conservar el logotipo actual.
console-branding-logo-remove = Quitar el logotipo
console-branding-color = Color principal
console-branding-color-help = Botones y enlaces, en la forma #RRGGBB. Un texto blanco sobre este color debe tener un contraste de al menos 4,5:1 (WCAG AA). Déjelo vacío para usar el color del tema.
console-branding-service = Sitio web de la entidad
console-branding-legal-notice = Aviso legal
console-branding-privacy = Datos personales
console-branding-accessibility = Declaración de accesibilidad
console-branding-contact = Contacto
console-branding-url-help = Una dirección https completa. Déjela vacía para quitar el enlace.
console-branding-contact-help = Una dirección https completa o una dirección mailto:. Déjela vacía para quitar el enlace.
console-branding-status = Estado de conformidad con el RGAA
console-branding-status-help = La mención que muestra el pie de página; «no conforme» mientras no se haya realizado ninguna auditoría.
console-branding-invalid = Algunos valores no se aceptan: consulte los campos señalados. No se ha guardado nada.
console-branding-saved = Se ha guardado la apariencia.
console-branding-stale = La apariencia ha cambiado mientras tanto: este es su estado actual; no se ha sobrescrito nada.
console-branding-color-syntax = Escriba el color en la forma #RRGGBB, por ejemplo #1E3A8A.
console-branding-color-contrast = Un texto blanco sobre este color tiene un contraste de { $ratio }:1, inferior al 4,5:1 exigido: elija un color más oscuro.
console-branding-url-invalid = Indique una dirección https completa, por ejemplo https://www.ciudad.example/aviso-legal.
console-branding-contact-invalid = Indique una dirección https completa o una dirección mailto:, por ejemplo mailto:ayuntamiento@ciudad.example.
console-branding-status-invalid = Elija uno de los tres estados propuestos.
console-branding-logo-too-large = Este archivo supera los 60 KiB: redúzcalo (un SVG simplificado o un PNG más pequeño).
console-branding-logo-not-an-image = Este archivo no es una imagen SVG ni PNG.
console-branding-logo-png-unreadable = Esta imagen PNG es ilegible o está incompleta.
console-branding-logo-png-size = Esta imagen PNG supera los 2048 × 2048 píxeles.
console-branding-logo-svg-unreadable = Este archivo SVG es ilegible.
console-branding-logo-svg-dtd = Este archivo SVG contiene una declaración de tipo de documento (DTD): expórtelo sin ella.
console-branding-logo-svg-text = Este archivo SVG contiene texto, cuya visualización depende de las fuentes: convierta el texto en trazados (contornos) en el programa de dibujo.
console-branding-logo-svg-empty = Este archivo SVG no dibuja nada.
console-time-zone-title = Zona horaria
console-time-zone = Zona horaria de las páginas
console-time-zone-help = El nombre IANA de la zona en la que las páginas escriben las horas, por ejemplo Europe/Paris, Indian/Reunion, America/Cayenne o Pacific/Noumea. El horario de verano se aplica automáticamente.
console-time-zone-invalid = Esta zona horaria es desconocida. Escriba su nombre IANA, por ejemplo Europe/Paris o Indian/Reunion.
console-time-zone-saved = Se ha guardado la zona horaria.

## Encabezado y pie de página: la entidad local y las menciones obligatorias
brand-home = página de inicio del sitio web de la entidad local
footer-legal-notice = Aviso legal
footer-privacy = Datos personales
footer-accessibility-full = Accesibilidad: plenamente conforme
footer-accessibility-partial = Accesibilidad: parcialmente conforme
footer-accessibility-none = Accesibilidad: no conforme
footer-contact = Contacto
signup-privacy-notice = { $tenant } utiliza su nombre de usuario y su dirección de correo electrónico para permitirle iniciar sesión en los servicios en línea que ofrece. Solo se transmiten a un servicio con su consentimiento.
footer-transparency = Transparencia

## The public transparency page
transparency-title = Transparencia
transparency-intro = Estas cifras cuentan operaciones (inicios de sesión, tokens emitidos, intercambios entre instancias), nunca personas. Los valores entre 1 y 9 se muestran como «< 10».
transparency-dependency-title = Dependencia de proveedores de fuera de Europa
transparency-within-eea = En el { $percent } % de las operaciones de los últimos doce meses no intervino ningún proveedor establecido fuera de la Unión Europea y del Espacio Económico Europeo.
transparency-no-transactions = No ha habido ninguna operación en los últimos doce meses.
transparency-percent = { $percent } %
transparency-fewer-than-ten = < 10
transparency-fewer-than-ten-long = entre 1 y 9
transparency-months-title = Operaciones por mes
transparency-days-title = Operaciones por día (últimos 31 días)
transparency-col-period = Periodo
transparency-col-sign_in_passkey = Inicios de sesión con llave de acceso
transparency-col-sign_in_password = Inicios de sesión con contraseña
transparency-col-sign_in_peer = Inicios de sesión a través de una instancia asociada
transparency-col-sign_in_upstream = Inicios de sesión a través de un proveedor de identidad
transparency-col-sign_in_other = Otros inicios de sesión (recuperación de cuenta)
transparency-col-tokens = Tokens emitidos
transparency-col-federation_in = Intercambios de federación recibidos
transparency-col-federation_out = Intercambios de federación enviados
transparency-col-mails = Correos electrónicos enviados
transparency-col-services = Servicios utilizados
transparency-col-within-eea = Sin proveedores de fuera de la UE/EEE
transparency-providers-title = Proveedores declarados por el operador
transparency-providers-none = El operador no ha declarado ningún proveedor.
transparency-col-provider = Proveedor
transparency-col-country = País
transparency-col-role = Función
transparency-col-eea = En la UE/EEE
transparency-yes = Sí
transparency-no = No
transparency-hosts-title = Servidores contactados por la instalación (últimos 31 días)
transparency-hosts-none = No se ha contactado con ningún servidor externo.
transparency-col-host = Servidor
transparency-col-requests = Solicitudes
transparency-col-declared = Origen
transparency-configured = Configurado
transparency-unexpected = Ni configurado ni declarado
transparency-json = Estas cifras en formato JSON

## E-mails (plain text; $name: the collectivité, $link: the link to open)
mail-verify-subject = { $name }: confirme su dirección
mail-verify-body =
    Hola:

    Para confirmar su dirección para { $name }, abra este enlace en el navegador en el que ha iniciado sesión en su cuenta:
    { $link }

    Si no ha solicitado nada, ignore este mensaje.
mail-recovery-subject = { $name }: recuperación de la cuenta
mail-recovery-body =
    Hola:

    Para recuperar el acceso a su cuenta de { $name }, abra este enlace en los próximos 30 minutos:
    { $link }

    Si no ha solicitado nada, ignore este mensaje: su cuenta sigue protegida.
mail-reset-subject = { $name }: nuevos métodos de acceso
mail-reset-body =
    Hola:

    La administración de { $name } ha retirado los métodos de acceso de su cuenta (llaves de acceso, contraseña, verificación en dos pasos, códigos de recuperación). Para iniciar sesión y añadir una nueva llave de acceso, abra este enlace en los próximos 30 minutos:
    { $link }

    Si no esperaba este mensaje, póngase en contacto con { $name }.
mail-upgrade-subject = { $name }: confirme su método de acceso
mail-upgrade-body =
    Hola:

    Para que su nuevo método de acceso a { $name } cuente por completo, abra este enlace en los próximos 30 minutos, en el navegador en el que lo añadió:
    { $link }

    Si no ha añadido nada, puede que alguien conozca su contraseña: cámbiela y retire ese método de acceso.

## Dates as pages show them ($day, $month: the month's name, $year; $date, $time in 24-hour form in the tenant's time zone, $zone: that zone's offset from UTC, as "UTC+1" or "UTC−3")
date-day = { $day } de { $month } de { $year }
date-time = { $date }, { $time } ({ $zone })
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre

## The language switcher (the name is each language's own)
language-name = Español
language-switcher-label = Idioma

## Accessibility: text alternatives and warnings (RGAA 1.1, 13.2)
totp-qr-alt = Código QR para escanear con su aplicación de autenticación; la clave para introducirla a mano figura a continuación.
new-window = nueva ventana
