sign-in-title = Iniciar sessão
sign-in-intro = Inicie sessão para continuar para { $client }.
username-label = Nome de utilizador
password-label = Palavra-passe
sign-in-button = Iniciar sessão
sign-in-failed = Nome de utilizador ou palavra-passe incorretos.
too-many-attempts = Demasiadas tentativas. Tente novamente dentro de alguns minutos.
consent-title = Autorização
consent-intro = { $client } pede acesso à sua conta { $user }:
consent-approve = Autorizar
consent-deny = Recusar
consent-policy = Política de privacidade de { $client }
consent-tos = Termos de utilização de { $client }
scope-openid = o seu identificador
scope-profile = o seu nome e o seu perfil
scope-email = o seu endereço de e-mail
scope-phone = o seu número de telefone
scope-address = a sua morada
scope-offline_access = um acesso mantido mesmo sem sessão iniciada
scope-openid-help = Um identificador próprio da sua conta, que permite ao serviço reconhecê-la quando regressar. Não contém o seu nome nem os seus contactos.
scope-profile-help = O seu nome próprio, apelido, nome de utilizador e idioma, tal como constam da sua conta.
scope-email-help = O seu endereço de e-mail e se foi confirmado.
scope-phone-help = O seu número de telefone e se foi confirmado.
scope-address-help = A morada registada na sua conta.
scope-offline_access-help = O serviço poderá continuar a obter as informações acima mesmo quando não o estiver a utilizar, até que lhe retire o acesso a partir da sua conta.
logout-title = Terminar sessão
logout-question = Pretende terminar a sessão?
logout-button = Terminar sessão
logout-cancel = Cancelar e manter a sessão iniciada
logout-cancel-to = Cancelar e voltar a { $client }
signed-out-title = Sessão terminada
signed-out-message = A sua sessão foi terminada.
back-to-service = Voltar a { $client }
back-to-service-unnamed = Voltar ao serviço
back-to-site = Ir para o sítio web de { $tenant }
signing-out-title = A terminar a sessão
signing-out-message = A terminar a sessão nos serviços que utilizou…
signing-out-frame = Aviso de fim de sessão a um serviço
form-post-title = Redirecionamento
form-post-message = A regressar ao serviço…
continue-button = Continuar
error-title = Erro
error-not-found = Esta página não existe.
error-bad-request = O pedido é inválido.
error-internal = Ocorreu um erro interno. Tente novamente mais tarde.
error-unavailable = O serviço está temporariamente indisponível. Tente novamente dentro de momentos.
error-missing-client-id = O pedido de início de sessão não indica o serviço (falta o client_id).
error-unknown-client = O serviço que pede o início de sessão é desconhecido.
error-request-object = Não foi possível verificar o pedido do serviço.
error-federation-trust = Não foi possível verificar este serviço junto da federação de confiança a que afirma pertencer.
error-missing-redirect-uri = O pedido de início de sessão não indica o endereço de retorno (falta o redirect_uri).
error-redirect-uri = O endereço de retorno não está registado para este serviço.
error-duplicate-param = O pedido de início de sessão contém um parâmetro duplicado.
error-param-too-long = O pedido de início de sessão contém um parâmetro demasiado longo.
error-interaction-expired = Este pedido de início de sessão expirou. Volte ao serviço e recomece.
error-csrf = A verificação de segurança do formulário falhou. Volte ao serviço e recomece.
error-logout-redirect = O endereço de retorno após o fim de sessão não está registado para este serviço.
error-logout-hint = O token fornecido para terminar a sessão é inválido.
error-sign-in-again = Por segurança, inicie sessão novamente para alterar a sua conta.
error-signed-out = A sua sessão foi terminada. Inicie sessão novamente.
error-stronger-sign-in = Este serviço exige um início de sessão mais seguro.
or = ou
step-up-intro = Este serviço exige um início de sessão mais seguro: utilize uma chave de acesso.
stronger-sign-in-needed = Este serviço exige um início de sessão mais seguro do que apenas uma palavra-passe. Inicie sessão com uma chave de acesso.
level-needed-title = É necessário um início de sessão mais seguro
level-needed-message = Este serviço exige um início de sessão mais seguro do que o utilizado. Qualquer um destes métodos serve:
level-way-passkey = uma chave de acesso, desbloqueada com a impressão digital, o rosto ou o PIN
level-way-password-totp = a palavra-passe, seguida de um código da aplicação de autenticação (TOTP)
level-retry = Iniciar sessão de outra forma
account-disabled = Esta conta está desativada. Contacte a sua câmara municipal ou o serviço que a gere.
passkey-sign-in-button = Iniciar sessão com uma chave de acesso
passkey-failed = Não foi possível utilizar a chave de acesso. Tente novamente.
passkey-unsupported = Este navegador não consegue utilizar chaves de acesso.
passkey-needs-script = Para criar uma chave de acesso, este navegador precisa de JavaScript.
passkey-unknown = Esta chave de acesso não está registada aqui. Utilize outra ou um código de recuperação.
signup-link = Criar uma conta
recover-link = Perdeu a sua chave de acesso?
otp-title = Código de verificação
otp-intro = Introduza o código de 6 dígitos apresentado pela sua aplicação de autenticação.
otp-label = Código
otp-failed = Este código não é válido. Aguarde pelo seguinte e tente novamente.
signup-title = Criar uma conta
signup-intro = A sua conta está protegida por uma chave de acesso: o seu dispositivo desbloqueia-a com a sua impressão digital, o seu rosto ou o seu código de desbloqueio. Sem palavras-passe para memorizar.
signup-username-help = De 2 a 64 caracteres, sem espaços.
signup-email-help = Opcional: serve apenas para ajudar a recuperar a sua conta.
signup-username-taken = Este nome de utilizador já está em uso. Escolha outro.
signup-username-invalid = Um nome de utilizador tem de 2 a 64 caracteres, sem espaços.
signup-button = Criar a minha conta com uma chave de acesso
signup-closed = Este serviço não aceita novas contas aqui.
signup-invitation-needed = Para criar uma conta aqui, é necessário um convite.
signup-invitation-invalid = Este convite já foi utilizado ou expirou.
email-label = Endereço de e-mail
recovery-codes-title = Códigos de recuperação
recovery-codes-intro = Guarde estes códigos num local seguro (em papel ou num gestor de palavras-passe). Cada um permite entrar uma vez na sua conta se perder a sua chave de acesso. Só são apresentados agora.
recovery-codes-saved = Guardei os meus códigos, continuar
recovery-codes-left = Códigos por utilizar restantes: { $count }.
recovery-codes-new = Criar novos códigos de recuperação
recover-title = Recuperar a sua conta
recover-code-title = Com um código de recuperação
recover-code-label = Código de recuperação
recover-button = Recuperar a minha conta
recover-email-title = Por e-mail
recover-email-button = Enviar-me uma ligação
recover-email-confirm = Confirme para iniciar sessão e adicionar uma nova chave de acesso.
recovery-failed = Este nome de utilizador e este código de recuperação não correspondem.
recovery-mail-sent = Se existir uma conta com este endereço confirmado, foi-lhe enviada uma ligação.
email-link-invalid = Esta ligação já foi utilizada, expirou ou não é válida.
email-verified-title = Endereço confirmado
email-verified = O seu endereço de e-mail está confirmado.
totp-title = Aplicação de autenticação
totp-intro = Leia este código com a sua aplicação de autenticação e, em seguida, introduza o código que esta apresentar.
totp-manual = Ou introduza esta chave manualmente:
totp-enable = Ativar
totp-is-on = O início de sessão com palavra-passe também pede um código da sua aplicação.
totp-is-off = Um código de uma aplicação pode proteger a sua palavra-passe.
totp-set-up = Configurar
totp-disable = Desativar a aplicação de autenticação
account-title = A sua conta
account-intro = Sessão iniciada como { $user }.
passkeys-title = Chaves de acesso
passkeys-none = Ainda não existe nenhuma chave de acesso.
passkey-created = Adicionada em { $date }
passkey-last-used = última utilização em { $date }
passkey-never-used = nunca utilizada
passkey-model = { $model } (segundo o dispositivo, não verificado)
passkey-model-unknown = tipo de dispositivo desconhecido
passkey-synced = sincronizada
passkey-device-bound = apenas neste dispositivo
passkey-manage = Gerir «{ $name }»
passkey-name-label = Nome
passkey-rename = Mudar o nome
passkey-remove = Remover a chave de acesso «{ $name }»
passkey-last-warning = É o seu único método de autenticação. Sem esta chave, precisará de um código de recuperação.
passkey-last-confirm-label = Compreendo, remover mesmo assim
passkey-add = Adicionar uma chave de acesso
passkey-used-now = utilizada neste início de sessão
passkey-default-name = Chave de acesso – { $browser } em { $os }
passkey-default-name-one = Chave de acesso – { $device }
password-title = Palavra-passe
password-is-set = Também pode iniciar sessão com uma palavra-passe.
password-not-set = A sua conta não utiliza palavra-passe para iniciar sessão.
password-new-label = Nova palavra-passe
password-help = Pelo menos 12 caracteres. O ideal é uma frase longa.
password-change = Alterar a palavra-passe
password-set-button = Definir uma palavra-passe
password-remove = Remover a palavra-passe
email-title = E-mail
email-verified-state = confirmado
email-unverified-state = ainda não confirmado
email-save = Guardar e enviar uma ligação de confirmação
sessions-title = Onde tem sessão iniciada
session-since = desde { $date }
session-current = este navegador
session-end = Terminar sessão
passkey-added = A chave de acesso foi adicionada.
passkey-renamed = O nome da chave de acesso foi alterado.
passkey-removed = A chave de acesso foi removida.
passkey-last-confirm = Esta chave de acesso é o seu único método de autenticação: assinale a caixa para confirmar a remoção.
password-set = A palavra-passe foi guardada.
password-removed = A palavra-passe foi removida.
password-too-short = Uma palavra-passe deve ter pelo menos 12 caracteres.
password-last = A palavra-passe é o seu único método de autenticação: adicione primeiro uma chave de acesso.
totp-enabled = A aplicação de autenticação está ativada.
totp-disabled = A aplicação de autenticação está desativada.
session-ended = Essa sessão foi terminada.
email-sent = Foi enviada uma ligação de confirmação para este endereço.
email-invalid = Este endereço de e-mail não é válido.
recovered = Sessão iniciada. Adicione já uma nova chave de acesso para deixar de precisar de um código de recuperação.

# Início de sessão com uma conta de outra autarquia da federação
peers-link = A sua conta está noutra autarquia?
peers-title = Onde está a sua conta?
peers-intro = Inicie sessão com a conta que tem noutra autarquia ou noutro operador de confiança de { $tenant }.
peers-last = A sua última escolha neste dispositivo:
peers-continue = Continuar com { $peer }
peers-search-label = Pesquisar a sua autarquia
peers-search-button = Pesquisar
peers-no-match = Nenhuma autarquia corresponde a «{ $q }».
peers-none = De momento, não está disponível nenhuma outra autarquia.
peers-back = Voltar ao início de sessão
peer-sign-in-cancelled = O início de sessão na outra autarquia não foi concluído. Escolha outra forma de iniciar sessão.
peer-sign-in-failed = Não foi possível verificar o início de sessão na outra autarquia. Tente novamente ou escolha outra forma de iniciar sessão.
error-peer-unknown = Esta autarquia não está entre as disponíveis aqui.
error-peer-directory = Não foi possível ler a lista de autarquias da federação. Tente novamente dentro de momentos.
error-peer-sign-in = Não foi possível começar o início de sessão na outra autarquia. Tente novamente dentro de momentos.
error-peer-expired = Este início de sessão expirou ou já foi utilizado. Volte ao serviço e recomece.
error-detail-label = Detalhe técnico para o serviço (em inglês):

# Métodos de autenticação adicionados a partir de uma sessão mais fraca, e ligações de confirmação
credential-limited = Este método de autenticação foi adicionado após um início de sessão com um único fator: conta apenas como um fator, e os serviços que exigem um início de sessão com dois fatores não o aceitarão sozinho.
credential-upgrade-button = Confirmar «{ $name }» por e-mail
upgrade-mail-sent = Foi enviada uma ligação para o seu endereço confirmado. Abra-a neste navegador para concluir.
upgrade-needs-email = Confirme primeiro um endereço de e-mail: é para lá que a ligação é enviada.
credential-upgraded = Confirmado: este método de autenticação passa a contar plenamente.
upgrade-title = Confirme o seu novo método de autenticação
upgrade-confirm = Confirme que adicionou este método de autenticação. Se não reconhece esta ação, não confirme: em vez disso, altere a sua palavra-passe.
email-verify-title = Confirme o seu endereço
email-verify-confirm = Confirme que este endereço de e-mail pertence à sua conta.
email-taken = Este endereço já está confirmado para outra conta.
mail-link-sign-in-first = Inicie sessão na sua conta neste navegador e, depois, volte a abrir a ligação.
mail-link-other-account = Esta ligação foi enviada para outra conta ou outro início de sessão.
mail-link-confirm-button = Confirmar
totp-failures-notice = { $count ->
    [one] Desde a sua última visita, foi introduzido um código de aplicação errado na sua conta. Se não reconhece esta tentativa, alguém conhece a sua palavra-passe: altere-a.
   *[other] Desde a sua última visita, foram introduzidos { $count } códigos de aplicação errados na sua conta. Se não reconhece estas tentativas, alguém conhece a sua palavra-passe: altere-a.
}

profile-title = A sua identidade
profile-given-name = Nome próprio
profile-family-name = Apelido
profile-save = Guardar
profile-saved = A sua identidade foi guardada.
profile-invalid = Um nome tem, no máximo, 200 caracteres, sem caracteres de controlo.
profile-stale = A sua conta foi alterada entretanto: verifique o seu nome próprio e apelido abaixo e guarde novamente.
services-title = Serviços ligados
services-none = Não autorizou nenhum serviço.
services-help = Remover um serviço corta o acesso deste à sua conta; da próxima vez, o serviço voltará a pedir a sua autorização.
service-since = autorizado em { $date }
service-scopes = acesso a:
service-withdraw = Remover o acesso de { $name }
consent-withdrawn = O acesso do serviço foi removido.
activity-title = Atividade recente
activity-none = Nenhuma atividade registada.
activity-failed = sem sucesso
activity-by-admin = pela administração
activity-sign-in = Início de sessão
activity-user-updated = Identidade alterada
activity-user-disabled = Conta desativada
activity-user-enabled = Conta reativada
activity-user-sessions-ended = Sessões terminadas
activity-user-credentials-reset = Métodos de autenticação repostos
activity-user-exported = Dados transferidos
activity-consent-withdrawn = Acesso de um serviço removido
activity-role-granted = Função de administração atribuída
activity-role-revoked = Função de administração retirada
data-title = Os seus dados
data-help = Transfira tudo o que este serviço guarda sobre si (perfil, chaves de acesso, sessões, serviços autorizados, atividade) num ficheiro JSON.
data-download = Transferir os meus dados
delete-title = Eliminar a minha conta
delete-help = A eliminação é definitiva: o seu perfil, as suas chaves de acesso, a sua palavra-passe e as suas autorizações são apagados, a sua sessão é terminada em todos os serviços e o seu nome de utilizador deixa de poder ser utilizado para iniciar sessão. O registo de segurança conserva um vestígio anónimo da eliminação.
delete-confirm-label = Compreendo que a eliminação da minha conta é definitiva.
delete-button = Eliminar a minha conta
delete-unconfirmed = Assinale a caixa para confirmar a eliminação.
delete-last-operator = Esta conta é a última com a função de operador da instalação: não pode ser eliminada.
account-deleted-title = Conta eliminada
account-deleted-message = A sua conta e os seus dados foram eliminados. A sua sessão foi terminada.
activity-recovery-used = Conta recuperada
activity-passkey-added = Chave de acesso adicionada
activity-passkey-removed = Chave de acesso removida
activity-password-set = Palavra-passe definida
activity-password-removed = Palavra-passe removida
activity-totp-enabled = Verificação em dois passos ativada
activity-totp-disabled = Verificação em dois passos desativada
activity-recovery-codes-renewed = Novos códigos de recuperação
activity-email-changed = Endereço de e-mail alterado
activity-session-ended = Sessão terminada
activity-consent-given = Acesso concedido a um serviço

## Consola de administração (<issuer>/admin)
console-title = Administração
console-nav = Administração
console-skip = Ir para o conteúdo
console-nav-users = Contas
console-nav-clients = Serviços
console-nav-keys = Chaves de assinatura
console-nav-audit = Registo de auditoria
console-nav-settings = Definições
console-nav-tenants = Autarquias
console-nav-branding = Aspeto
console-forbidden = A sua conta não tem aqui nenhuma função de administração. Uma pessoa com a função de operador pode atribuir-lhe uma (trame admin grant).
console-read-only = A sua função permite consultar, mas não alterar.
console-read-only-note = A sua função (auditor) permite consultar, mas não alterar.
console-operators-only = Apenas as contas com a função de operador da instalação podem ver esta página.
console-invalid-form = Este formulário contém um valor inválido. Volte à página e recomece.
console-search = Pesquisar
console-filter = Filtrar
console-save = Guardar
console-next-page = Página seguinte
console-yes = sim
console-no = não
console-none = nenhum
console-username = Nome de utilizador
console-name = Nome
console-email = Endereço de e-mail
console-status = Estado
console-active = Ativa
console-disabled = Desativada
console-disabled-since = Desativada desde { $date }
console-verified = verificado
console-unverified = não verificado
console-created = Data de criação
console-credentials = Métodos de autenticação
console-credentials-summary = { $passkeys ->
    [0] nenhuma chave de acesso
    [one] uma chave de acesso
   *[other] { $passkeys } chaves de acesso
  }, palavra-passe: { $password }, TOTP: { $totp }
console-roles = Funções
console-users-title = Contas
console-users-search = Pesquisar uma conta
console-users-search-help = O início de um nome de utilizador, endereço de e-mail, nome próprio ou apelido, sem distinguir maiúsculas nem acentos.
console-users-found = Contas que começam por «{ $q }»
console-users-all = Todas as contas, por nome de utilizador
console-users-none = Nenhuma conta corresponde.
console-back-users = Voltar às contas
console-passkeys-none = Nenhuma chave de acesso.
console-sessions-title = Sessões abertas
console-sessions-none = Nenhuma sessão aberta.
console-device = Dispositivo
console-since = Desde
console-until = Até
console-end-sessions = Terminar todas as sessões da conta
console-trail-title = Histórico
console-trail-all = Todo o histórico desta conta
console-actions-title = Ações
console-disable = Desativar a conta
console-disable-help = A conta deixa de poder iniciar sessão, as suas sessões são terminadas e os seus tokens deixam imediatamente de funcionar. Poderá reativá-la.
console-enable = Reativar a conta
console-reset-title = Repor os métodos de autenticação
console-reset-help-mail = Remove as chaves de acesso, a palavra-passe, o TOTP e os códigos de recuperação, termina as sessões e envia uma ligação de recuperação para o endereço verificado da pessoa.
console-reset-help-no-mail = Remove as chaves de acesso, a palavra-passe, o TOTP e os códigos de recuperação, e termina as sessões. Esta conta não tem endereço verificado: depois, dê à pessoa outra forma de voltar a entrar (uma palavra-passe provisória com trame user set-password, ou um endereço verificado e a página de recuperação).
console-reset = Repor
console-delete-title = Eliminar a conta
console-delete-help = Eliminação definitiva (RGPD): os dados pessoais são apagados, as sessões terminadas e os serviços avisados. O registo de auditoria conserva um vestígio anónimo.
console-type-to-confirm = Para confirmar, escreva «{ $name }»
console-delete-user = Eliminar definitivamente
console-user-disabled = A conta foi desativada.
console-user-enabled = A conta foi reativada.
console-user-deleted = A conta foi eliminada.
console-user-sessions-ended = As sessões da conta foram terminadas.
console-user-reset-link-sent = Os métodos de autenticação foram removidos e foi enviada uma ligação de recuperação.
console-user-reset-no-address = Os métodos de autenticação foram removidos. Sem endereço verificado (ou sem envio de e-mail), não foi enviada nenhuma ligação: dê à pessoa outra forma de voltar a entrar.
console-last-operator = É a última conta com a função de operador da instalação: designe primeiro outra.
console-unconfirmed = O nome introduzido não corresponde: nada foi alterado.
console-clients-title = Serviços
console-clients-none = Nenhum serviço registado.
console-client-new = Registar um serviço
console-back-clients = Voltar aos serviços
console-client-id = Identificador do serviço (client_id)
console-client-id-help = Letras, algarismos, pontos e hífenes; não pode ser alterado depois.
console-client-name = Nome apresentado às pessoas utilizadoras
console-client-kind = Tipo
console-kind-web = Aplicação web com servidor
console-kind-web-help = Guarda um segredo no seu servidor (client_secret_basic); início de sessão de pessoas utilizadoras.
console-kind-public = Aplicação móvel ou de página única
console-kind-public-help = Sem segredo, protegida por PKCE; início de sessão de pessoas utilizadoras.
console-kind-service = Serviço sem pessoas utilizadoras
console-kind-service-help = Um programa que chama APIs com o seu segredo (client_credentials).
console-client-federation = registado por federação
console-redirect-uris = Endereços de retorno (redirect_uris)
console-redirect-uris-help = Um por linha, comparados de forma exata; https obrigatório exceto em localhost.
console-logout-uris = Endereços de retorno após o fim de sessão (opcional)
console-scope = Âmbitos autorizados (scope)
console-scope-help = Separados por espaços, por exemplo: openid profile email
console-client-register = Registar
console-client-invalid = O campo «{ $field }» não é aceite.
console-client-created = Serviço «{ $id }» registado
console-secret-rotated = Novo segredo para «{ $id }»
console-secret-once = Copie este segredo agora: nunca mais será apresentado. O Trame guarda apenas um resumo criptográfico.
console-client-secret = Segredo do serviço (client_secret)
console-client-see = Ver o serviço «{ $id }»
console-rotate-secret = Gerar um novo segredo
console-rotate-secret-help = O segredo anterior deixa imediatamente de funcionar.
console-client-delete-title = Eliminar o serviço
console-client-delete-help = Os tokens do serviço deixam de funcionar e as pessoas utilizadoras deixam de poder iniciar sessão nele.
console-client-delete = Eliminar o serviço
console-client-deleted = O serviço foi eliminado.
console-keys-title = Chaves de assinatura
console-keys-help = Os tokens são assinados pela chave ativa; as chaves publicadas estão no JWKS para verificar os tokens já emitidos.
console-key-id = Identificador (kid)
console-key-alg = Algoritmo
console-key-signs-from = Assina a partir de
console-key-next = publicada, ainda não ativa
console-key-active = ativa
console-key-retiring = a ser retirada (apenas verificação)
console-key-retired = retirada
console-key-rotate-title = Substituir a chave
console-key-delay = A nova chave começa a assinar
console-key-delay-hours = { $hours ->
    [0] imediatamente
    [one] dentro de { $hours } hora
   *[other] dentro de { $hours } horas
  }
console-key-rotate = Substituir a chave
console-key-rotated = Foi publicada uma nova chave.
console-audit-title = Registo de auditoria
console-audit-invalid = Uma data não é válida, ou a data de início é posterior à data de fim.
console-when = Data
console-actor = Autoria
console-action = Ação
console-target = Alvo
console-outcome = Resultado
console-address = Endereço
console-success = sucesso
console-failure = falha
console-records-none = Nenhum evento.
console-settings-title = Definições
console-slug = Identificador
console-issuer = Emissor (issuer)
console-display-name = Nome apresentado
console-display-name-invalid = O nome apresentado tem de 1 a 200 caracteres imprimíveis.
console-settings-saved = As definições foram guardadas.
console-settings-stale = As definições foram alteradas entretanto: eis o seu estado atual; nada foi substituído.
console-policies-title = Regras
console-policies-help = Determinam o que as pessoas utilizadoras podem fazer: só podem ser alteradas por quem tem a função de operador, com «trame tenant set { $slug }».
console-policy-registration = Registo
console-policy-dynamic-registration = Registo dinâmico de serviços
console-policy-usernames = Nomes de utilizador
console-policy-credential-upgrade = Reforço dos métodos de autenticação
console-policy-acr-rules = Níveis de garantia
console-tenants-title = Autarquias
console-tenant-users = Contas
console-tenant-clients = Serviços

## The console's branding page and time zone setting
console-branding-title = Aspeto e menções
console-branding-help = O logótipo, a cor e as ligações que todas as páginas da autarquia mostram: cabeçalho, rodapé e menções obrigatórias de um sítio público.
console-branding-logo = Logótipo
console-branding-logo-current = Logótipo atual de { $tenant }
console-branding-logo-none = Sem logótipo: as páginas mostram o nome da autarquia.
console-branding-logo-file = Novo logótipo (SVG ou PNG)
console-branding-logo-help = 60 KiB no máximo. Um SVG é reescrito sem scripts nem ligações externas; o seu texto tem de ser convertido em traçados. Deixe vazio para manter o logótipo atual.
console-branding-logo-remove = Remover o logótipo
console-branding-color = Cor principal
console-branding-color-help = Botões e ligações, na forma #RRGGBB. Um texto branco sobre esta cor tem de ter um contraste de pelo menos 4,5:1 (WCAG AA). Deixe vazio para usar a cor do tema.
console-branding-service = Sítio da autarquia
console-branding-legal-notice = Informação legal
console-branding-privacy = Dados pessoais
console-branding-accessibility = Declaração de acessibilidade
console-branding-contact = Contacto
console-branding-url-help = Um endereço https completo. Deixe vazio para remover a ligação.
console-branding-contact-help = Um endereço https completo ou um endereço mailto:. Deixe vazio para remover a ligação.
console-branding-status = Estado de conformidade com o RGAA
console-branding-status-help = A menção apresentada no rodapé; «não conforme» enquanto não tiver sido feita nenhuma auditoria.
console-branding-invalid = Alguns valores não são aceites: consulte os campos assinalados. Nada foi guardado.
console-branding-saved = O aspeto foi guardado.
console-branding-stale = O aspeto foi alterado entretanto: eis o seu estado atual; nada foi substituído.
console-branding-color-syntax = Escreva a cor na forma #RRGGBB, por exemplo #1E3A8A.
console-branding-color-contrast = Um texto branco sobre esta cor tem um contraste de { $ratio }:1, abaixo dos 4,5:1 exigidos: escolha uma cor mais escura.
console-branding-url-invalid = Indique um endereço https completo, por exemplo https://www.cidade.example/informacao-legal.
console-branding-contact-invalid = Indique um endereço https completo ou um endereço mailto:, por exemplo mailto:camara@cidade.example.
console-branding-status-invalid = Escolha um dos três estados propostos.
console-branding-logo-too-large = Este ficheiro excede 60 KiB: reduza-o (um SVG simplificado ou um PNG mais pequeno).
console-branding-logo-not-an-image = Este ficheiro não é uma imagem SVG nem PNG.
console-branding-logo-png-unreadable = Esta imagem PNG é ilegível ou está incompleta.
console-branding-logo-png-size = Esta imagem PNG excede 2048 × 2048 píxeis.
console-branding-logo-svg-unreadable = Este ficheiro SVG é ilegível.
console-branding-logo-svg-dtd = Este ficheiro SVG contém uma declaração de tipo de documento (DTD): exporte-o sem ela.
console-branding-logo-svg-text = Este ficheiro SVG contém texto, cuja apresentação depende dos tipos de letra: converta o texto em traçados (contornos) no programa de desenho.
console-branding-logo-svg-empty = Este ficheiro SVG não desenha nada.
console-time-zone-title = Fuso horário
console-time-zone = Fuso horário das páginas
console-time-zone-help = O nome IANA do fuso em que as páginas escrevem as horas, por exemplo Europe/Paris, Indian/Reunion, America/Cayenne ou Pacific/Noumea. A hora de verão é aplicada automaticamente.
console-time-zone-invalid = Este fuso horário é desconhecido. Escreva o seu nome IANA, por exemplo Europe/Paris ou Indian/Reunion.
console-time-zone-saved = O fuso horário foi guardado.

## Cabeçalho e rodapé: a autarquia e as menções obrigatórias
brand-home = página inicial do sítio web da autarquia
footer-legal-notice = Aviso legal
footer-privacy = Dados pessoais
footer-accessibility-full = Acessibilidade: plenamente conforme
footer-accessibility-partial = Acessibilidade: parcialmente conforme
footer-accessibility-none = Acessibilidade: não conforme
footer-contact = Contacto
signup-privacy-notice = { $tenant } utiliza o seu nome de utilizador e o seu endereço de e-mail para lhe permitir iniciar sessão nos serviços online que disponibiliza. Só são transmitidos a um serviço com o seu consentimento.
footer-transparency = Transparência

## The public transparency page
transparency-title = Transparência
transparency-intro = Estes números contabilizam operações (inícios de sessão, tokens emitidos, trocas entre instâncias), nunca pessoas. Um número entre 1 e 9 é apresentado como «< 10».
transparency-dependency-title = Dependência de prestadores de serviços extraeuropeus
transparency-within-eea = Em { $percent } % das operações dos últimos doze meses não interveio nenhum prestador de serviços estabelecido fora da União Europeia e do Espaço Económico Europeu.
transparency-no-transactions = Nenhuma operação nos últimos doze meses.
transparency-percent = { $percent } %
transparency-fewer-than-ten = < 10
transparency-fewer-than-ten-long = entre 1 e 9
transparency-months-title = Operações por mês
transparency-days-title = Operações por dia (últimos 31 dias)
transparency-col-period = Período
transparency-col-sign_in_passkey = Inícios de sessão com chave de acesso
transparency-col-sign_in_password = Inícios de sessão com palavra-passe
transparency-col-sign_in_peer = Inícios de sessão através de uma instância parceira
transparency-col-sign_in_upstream = Inícios de sessão através de um fornecedor de identidade
transparency-col-sign_in_other = Outros inícios de sessão (recuperação de conta)
transparency-col-tokens = Tokens emitidos
transparency-col-federation_in = Trocas de federação recebidas
transparency-col-federation_out = Trocas de federação enviadas
transparency-col-mails = E-mails enviados
transparency-col-services = Serviços utilizados
transparency-col-within-eea = Sem prestadores fora da UE/EEE
transparency-providers-title = Prestadores de serviços declarados pelo operador
transparency-providers-none = O operador não declarou nenhum prestador de serviços.
transparency-col-provider = Prestador
transparency-col-country = País
transparency-col-role = Função
transparency-col-eea = Na UE/EEE
transparency-yes = Sim
transparency-no = Não
transparency-hosts-title = Servidores contactados pela instalação (últimos 31 dias)
transparency-hosts-none = Não foi contactado nenhum servidor externo.
transparency-col-host = Servidor
transparency-col-requests = Pedidos
transparency-col-declared = Origem
transparency-configured = Configurado
transparency-unexpected = Nem configurado nem declarado
transparency-json = Estes números em formato JSON

## E-mails (plain text; $name: the collectivité, $link: the link to open)
mail-verify-subject = { $name }: confirme o seu endereço
mail-verify-body =
    Olá,

    Para confirmar o seu endereço para { $name }, abra esta ligação no navegador em que tem sessão iniciada na sua conta:
    { $link }

    Se não pediu nada, ignore esta mensagem.
mail-recovery-subject = { $name }: recuperação da conta
mail-recovery-body =
    Olá,

    Para recuperar o acesso à sua conta { $name }, abra esta ligação nos próximos 30 minutos:
    { $link }

    Se não pediu nada, ignore esta mensagem: a sua conta continua protegida.
mail-reset-subject = { $name }: novos métodos de início de sessão
mail-reset-body =
    Olá,

    A administração de { $name } retirou os métodos de início de sessão da sua conta (chaves de acesso, palavra-passe, verificação em dois passos, códigos de recuperação). Para iniciar sessão e adicionar uma nova chave de acesso, abra esta ligação nos próximos 30 minutos:
    { $link }

    Se não esperava esta mensagem, contacte { $name }.
mail-upgrade-subject = { $name }: confirme o seu método de início de sessão
mail-upgrade-body =
    Olá,

    Para que o seu novo método de início de sessão em { $name } conte plenamente, abra esta ligação nos próximos 30 minutos, no navegador em que o adicionou:
    { $link }

    Se não adicionou nada, alguém pode conhecer a sua palavra-passe: altere-a e retire esse método de início de sessão.

## Dates as pages show them ($day, $month: the month's name, $year; $date, $time in 24-hour form in the tenant's time zone, $zone: that zone's offset from UTC, as "UTC+1" or "UTC−3")
date-day = { $day } de { $month } de { $year }
date-time = { $date }, { $time } ({ $zone })
month-1 = janeiro
month-2 = fevereiro
month-3 = março
month-4 = abril
month-5 = maio
month-6 = junho
month-7 = julho
month-8 = agosto
month-9 = setembro
month-10 = outubro
month-11 = novembro
month-12 = dezembro

## The language switcher (the name is each language's own)
language-name = Português
language-switcher-label = Idioma

## Accessibility: text alternatives and warnings (RGAA 1.1, 13.2)
totp-qr-alt = Código QR a ler com a sua aplicação de autenticação; a chave para introduzir manualmente encontra-se abaixo.
new-window = nova janela
