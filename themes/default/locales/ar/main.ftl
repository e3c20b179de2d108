sign-in-title = تسجيل الدخول
sign-in-intro = يُرجى تسجيل الدخول للمتابعة إلى { $client }.
username-label = اسم المستخدم
password-label = كلمة المرور
sign-in-button = تسجيل الدخول
sign-in-failed = اسم المستخدم أو كلمة المرور غير صحيحة.
too-many-attempts = عدد المحاولات كبير جدًا. يُرجى إعادة المحاولة بعد بضع دقائق.
directory-unavailable = دليل مؤسستك لا يستجيب، لذلك لا يمكن لموظفيها تسجيل الدخول بكلمة المرور حاليًا. أعد المحاولة لاحقًا، أو سجّل الدخول بمفتاح مرور.
consent-title = الإذن بالوصول
consent-intro = يطلب { $client } الوصول إلى ما يلي من حسابك { $user }:
consent-approve = السماح
consent-deny = الرفض
consent-policy = سياسة الخصوصية لدى { $client }
consent-tos = شروط الاستخدام لدى { $client }
scope-openid = معرّفك
scope-profile = اسمك وملفك الشخصي
scope-email = عنوان بريدك الإلكتروني
scope-phone = رقم هاتفك
scope-address = عنوانك البريدي
scope-offline_access = استمرار الوصول حتى بعد تسجيل خروجك
scope-openid-help = معرّف خاص بحسابك يتيح للخدمة التعرّف عليك عند عودتك. لا يتضمن اسمك ولا بيانات الاتصال بك.
scope-profile-help = اسمك الشخصي واسم عائلتك واسم المستخدم ولغتك، كما هي مسجّلة في حسابك.
scope-email-help = عنوان بريدك الإلكتروني، وما إذا كنت قد أكّدته.
scope-phone-help = رقم هاتفك، وما إذا كان قد تم تأكيده.
scope-address-help = العنوان البريدي المسجّل في حسابك.
scope-offline_access-help = ستتمكّن الخدمة من مواصلة الحصول على المعلومات المذكورة أعلاه حتى عندما لا تستخدمها، إلى أن تسحب منها حق الوصول من حسابك.
logout-title = تسجيل الخروج
logout-question = يُرجى تأكيد الرغبة في تسجيل الخروج.
logout-button = تسجيل الخروج
logout-cancel = إلغاء وعدم تسجيل الخروج
logout-cancel-to = إلغاء والعودة إلى { $client }
signed-out-title = تم تسجيل الخروج
signed-out-message = تم تسجيل خروجك.
back-to-service = العودة إلى { $client }
back-to-service-unnamed = العودة إلى الخدمة
back-to-site = الانتقال إلى موقع { $tenant }
signing-out-title = جارٍ تسجيل الخروج
signing-out-message = جارٍ تسجيل خروجك من الخدمات التي استخدمتها…
signing-out-frame = إشعار إحدى الخدمات بتسجيل الخروج
form-post-title = إعادة التوجيه
form-post-message = جارٍ الرجوع إلى الخدمة…
continue-button = متابعة
error-title = خطأ
error-not-found = هذه الصفحة غير موجودة.
error-bad-request = الطلب غير صالح.
error-internal = حدث خطأ داخلي. يُرجى إعادة المحاولة لاحقًا.
error-unavailable = الخدمة غير متاحة مؤقتًا. يُرجى إعادة المحاولة بعد قليل.
error-missing-client-id = لا يحدّد طلب تسجيل الدخول الخدمة المعنية (client_id مفقود).
error-unknown-client = الخدمة التي تطلب تسجيل الدخول غير معروفة.
error-request-object = تعذّر التحقق من طلب الخدمة.
error-federation-trust = تعذّر التحقق من هذه الخدمة لدى اتحاد الثقة الذي تقول إنها تنتمي إليه.
error-missing-redirect-uri = لا يحدّد طلب تسجيل الدخول عنوان العودة (redirect_uri مفقود).
error-redirect-uri = عنوان العودة غير مسجَّل لهذه الخدمة.
error-duplicate-param = يحتوي طلب تسجيل الدخول على معامل مكرَّر.
error-param-too-long = يحتوي طلب تسجيل الدخول على معامل طويل جدًا.
error-interaction-expired = انتهت صلاحية طلب تسجيل الدخول هذا. يُرجى الرجوع إلى الخدمة والبدء من جديد.
error-csrf = فشل التحقق الأمني من النموذج. يُرجى الرجوع إلى الخدمة والبدء من جديد.
error-logout-redirect = عنوان العودة بعد تسجيل الخروج غير مسجَّل لهذه الخدمة.
error-logout-hint = الرمز المميَّز المقدَّم لتسجيل الخروج غير صالح.
error-cas-service = هذه الخدمة غير مسجَّلة لدى مزوِّد الهوية هذا: لا يمكن تمرير تسجيل الدخول إليها.
error-cas-level = تطلب هذه الخدمة مستوى تسجيل دخول لا تبلغه جلستك.
error-sign-in-again = حفاظًا على الأمان، يُرجى تسجيل الدخول مجددًا لتعديل حسابك.
error-signed-out = تم تسجيل خروجك. يُرجى تسجيل الدخول مجددًا.
or = أو
step-up-intro = تطلب هذه الخدمة تسجيل دخول أكثر أمانًا: يُرجى استخدام مفتاح مرور.
level-needed-title = مطلوب تسجيل دخول أكثر أمانًا
level-needed-message = تطلب هذه الخدمة تسجيل دخول أكثر أمانًا من الطريقة التي استخدمتها. تصلح أيٌّ من هذه الطرق:
level-way-passkey = مفتاح مرور يُفتح ببصمتك أو بوجهك أو برمزك السري
level-way-password-totp = كلمة المرور متبوعةً برمز من تطبيق المصادقة (TOTP)
level-retry = تسجيل الدخول بطريقة أخرى
level-add-title = أضِف إحداها الآن
level-add-intro = يمكنك إضافة إحدى هذه الطرق الآن. سنرسل بعد ذلك رابطًا إلى عنوان بريدك الإلكتروني المؤكَّد: افتحه في هذا المتصفح لتأكيد الطريقة الجديدة، ثم سجّل الدخول بها للمتابعة.
level-add-passkey = إضافة مفتاح مرور
level-add-totp = إعداد تطبيق مصادقة
level-mail-sent-title = أكِّد من بريدك الإلكتروني
level-mail-sent = تمت الإضافة. أُرسل للتو رابط إلى عنوان بريدك الإلكتروني المؤكَّد: افتحه في هذا المتصفح لتأكيد هذه الطريقة، ثم سجّل الدخول بها للمتابعة.
credential-confirmed = تم التأكيد: سجّل الدخول بطريقتك الجديدة للمتابعة.
enrol-title = إضافة مفتاح مرور
enrol-intro = سيعرض عليك جهازك إنشاء مفتاح مرور لهذا الحساب. سيُحتسب كاملًا بعد تأكيده بالرابط الذي سنرسله إليك بالبريد الإلكتروني، ويمكنك عندها المتابعة إلى { $client }.
enrol-intro-unnamed = سيعرض عليك جهازك إنشاء مفتاح مرور لهذا الحساب. سيُحتسب كاملًا بعد تأكيده بالرابط الذي سنرسله إليك بالبريد الإلكتروني.
enrol-back = العودة إلى الطرق الأخرى
account-disabled = هذا الحساب معطَّل. يُرجى التواصل مع البلدية أو مع الجهة التي تدير الحساب.
passkey-sign-in-button = تسجيل الدخول باستخدام مفتاح مرور
passkey-failed = تعذّر استخدام مفتاح المرور. يُرجى إعادة المحاولة.
passkey-unsupported = لا يدعم هذا المتصفح مفاتيح المرور.
passkey-needs-script = يتطلب إنشاء مفتاح مرور تفعيل JavaScript في هذا المتصفح.
passkey-unknown = مفتاح المرور هذا غير مسجَّل هنا. يُرجى استخدام مفتاح آخر، أو رمز استرداد.
signup-link = إنشاء حساب
recover-link = هل فقدت مفتاح المرور؟
otp-title = رمز التحقق
otp-intro = يُرجى إدخال الرمز المكوَّن من 6 أرقام الذي يعرضه تطبيق المصادقة.
otp-label = الرمز
otp-failed = هذا الرمز غير صالح. يُرجى انتظار الرمز التالي ثم إعادة المحاولة.
signup-title = إنشاء حساب
signup-intro = حسابك محميّ بمفتاح مرور: يفتحه جهازك ببصمة الإصبع أو بالتعرّف على الوجه أو برمز القفل. لا حاجة إلى تذكّر أي كلمة مرور.
signup-username-help = من 2 إلى 64 حرفًا، من دون مسافات.
signup-email-help = اختياري: يُستخدم فقط للمساعدة على استرداد حسابك.
signup-username-taken = اسم المستخدم هذا مستخدَم من قبل. يُرجى اختيار اسم آخر.
signup-username-invalid = يتكوّن اسم المستخدم من 2 إلى 64 حرفًا، من دون مسافات.
signup-button = إنشاء حسابي باستخدام مفتاح مرور
signup-closed = لا تقبل هذه الخدمة حسابات جديدة هنا.
signup-invitation-needed = يتطلب إنشاء حساب هنا دعوة.
signup-invitation-invalid = سبق استخدام هذه الدعوة أو انتهت صلاحيتها.
email-label = عنوان البريد الإلكتروني
recovery-codes-title = رموز الاسترداد
recovery-codes-intro = يُرجى الاحتفاظ بهذه الرموز في مكان آمن (على الورق أو في مدير كلمات مرور). يتيح كل رمز منها الدخول إلى حسابك مرة واحدة في حال فقدان مفتاح المرور. لن تُعرض هذه الرموز إلا الآن.
recovery-codes-saved = دوّنتُ رموزي، المتابعة
recovery-codes-left = عدد الرموز غير المستخدمة المتبقية: { $count }.
recovery-codes-new = إنشاء رموز استرداد جديدة
recover-title = استرداد حسابك
recover-code-title = باستخدام رمز استرداد
recover-code-label = رمز الاسترداد
recover-button = استرداد حسابي
recover-email-title = عبر البريد الإلكتروني
recover-email-button = إرسال رابط إليّ
recover-email-confirm = يُرجى التأكيد لتسجيل الدخول وإضافة مفتاح مرور جديد.
recovery-failed = اسم المستخدم هذا ورمز الاسترداد هذا غير متطابقين.
recovery-mail-sent = إذا كان هذا العنوان مؤكَّدًا لأحد الحسابات، فقد أُرسل إليه رابط.
email-link-invalid = سبق استخدام هذا الرابط، أو انتهت صلاحيته، أو أنه غير صالح.
email-verified-title = تم تأكيد العنوان
email-verified = تم تأكيد عنوان بريدك الإلكتروني.
totp-title = تطبيق المصادقة
totp-intro = يُرجى مسح هذا الرمز باستخدام تطبيق المصادقة، ثم إدخال الرمز الذي يعرضه التطبيق.
totp-manual = أو يمكن إدخال هذا المفتاح يدويًا:
totp-enable = تفعيل
totp-is-on = يتطلب تسجيل الدخول بكلمة المرور أيضًا رمزًا من تطبيق المصادقة.
totp-is-off = يمكن لرمز من تطبيق مصادقة أن يحمي كلمة مرورك.
totp-set-up = إعداد
totp-disable = إيقاف تطبيق المصادقة
account-title = حسابك
account-intro = تم تسجيل الدخول باسم المستخدم { $user }.
passkeys-title = مفاتيح المرور
passkeys-none = لا يوجد أي مفتاح مرور حتى الآن.
passkey-created = أُضيف في { $date }
passkey-last-used = آخر استخدام في { $date }
passkey-never-used = لم يُستخدم قط
passkey-model = { $model } (حسب ما يفيد به الجهاز، دون تحقق)
passkey-model-unknown = نوع الجهاز غير معروف
passkey-synced = متزامن
passkey-device-bound = على هذا الجهاز فقط
passkey-manage = إدارة «{ $name }»
passkey-name-label = الاسم
passkey-rename = إعادة التسمية
passkey-remove = حذف مفتاح المرور «{ $name }»
passkey-last-warning = هذه هي الوسيلة الوحيدة لتسجيل دخولك. ومن دونها، سيلزمك رمز استرداد.
passkey-last-confirm-label = أفهم ذلك، وأريد حذفه رغم ذلك
passkey-add = إضافة مفتاح مرور
passkey-used-now = استُخدم لتسجيل الدخول هذا
passkey-default-name = مفتاح مرور – { $browser } على { $os }
passkey-default-name-one = مفتاح مرور – { $device }
password-title = كلمة المرور
password-is-set = يمكنك أيضًا تسجيل الدخول بكلمة مرور.
password-not-set = يتم تسجيل دخولك من دون كلمة مرور.
password-new-label = كلمة المرور الجديدة
password-help = 12 حرفًا على الأقل. ويُفضَّل استخدام عبارة طويلة.
password-change = تغيير كلمة المرور
password-set-button = تعيين كلمة مرور
password-remove = حذف كلمة المرور
email-title = البريد الإلكتروني
email-verified-state = مؤكَّد
email-unverified-state = غير مؤكَّد بعد
email-save = حفظ وإرسال رابط تأكيد
sessions-title = الأماكن التي سجّلت الدخول منها
session-since = منذ { $date }
session-current = هذا المتصفح
session-end = إنهاء الجلسة
passkey-added = تمت إضافة مفتاح المرور.
passkey-renamed = تمت إعادة تسمية مفتاح المرور.
passkey-removed = تم حذف مفتاح المرور.
passkey-last-confirm = مفتاح المرور هذا هو الوسيلة الوحيدة لتسجيل دخولك: يُرجى تحديد المربع لتأكيد حذفه.
password-set = تم حفظ كلمة المرور.
password-removed = تم حذف كلمة المرور.
password-too-short = يجب أن تتكوّن كلمة المرور من 12 حرفًا على الأقل.
password-last = كلمة المرور هي الوسيلة الوحيدة لتسجيل دخولك: يُرجى إضافة مفتاح مرور أولًا.
totp-enabled = تم تفعيل تطبيق المصادقة.
totp-disabled = تم إيقاف تطبيق المصادقة.
session-ended = تم إنهاء هذه الجلسة.
email-sent = تم إرسال رابط تأكيد إلى هذا العنوان.
email-invalid = عنوان البريد الإلكتروني هذا غير صالح.
recovered = تم تسجيل دخولك. يُرجى إضافة مفتاح مرور جديد الآن حتى لا يلزمك رمز استرداد بعد ذلك.

# تسجيل الدخول بحساب لدى جماعة محلية أخرى في الاتحاد
peers-link = هل حسابك لدى جماعة محلية أخرى؟
peers-title = أين يوجد حسابك؟
peers-intro = يُرجى تسجيل الدخول بالحساب الموجود لديك لدى جماعة محلية أخرى أو لدى جهة مشغِّلة موثوقة أخرى ضمن اتحاد { $tenant }.
peers-last = اختيارك الأخير على هذا الجهاز:
peers-continue = المتابعة عبر { $peer }
peers-search-label = البحث عن جماعتك المحلية
peers-search-button = بحث
peers-no-match = لا توجد جماعة محلية تطابق «{ $q }».
peers-none = لا تتوفر أي جماعة محلية أخرى في الوقت الحالي.
peers-back = العودة إلى تسجيل الدخول
peer-sign-in-cancelled = لم يكتمل تسجيل الدخول لدى الجماعة المحلية الأخرى. يُرجى اختيار طريقة أخرى لتسجيل الدخول.
peer-sign-in-failed = تعذّر التحقق من تسجيل الدخول لدى الجماعة المحلية الأخرى. يُرجى إعادة المحاولة أو اختيار طريقة أخرى لتسجيل الدخول.
peer-level-not-reached = لم يبلغ حسابك لدى الجماعة المحلية الأخرى مستوى الأمان الذي تطلبه هذه الخدمة. يُرجى اختيار طريقة أخرى لتسجيل الدخول.
error-peer-unknown = هذه الجماعة المحلية ليست من بين الجماعات المقترحة هنا.
error-peer-directory = تعذّرت قراءة قائمة الجماعات المحلية في الاتحاد. يُرجى إعادة المحاولة بعد قليل.
error-peer-sign-in = تعذّر بدء تسجيل الدخول لدى الجماعة المحلية الأخرى. يُرجى إعادة المحاولة بعد قليل.
error-peer-expired = انتهت صلاحية تسجيل الدخول هذا أو سبق استخدامه. يُرجى الرجوع إلى الخدمة والبدء من جديد.
error-detail-label = تفصيل تقني للخدمة (بالإنجليزية):

# وسائل تسجيل الدخول المضافة انطلاقًا من جلسة أضعف، وروابط التأكيد
credential-limited = أُضيفت وسيلة تسجيل الدخول هذه بعد تسجيل دخول بعامل واحد: لذا لا تُحتسب إلا عاملًا واحدًا، ولن تقبلها وحدها الخدمات التي تطلب تسجيل دخول بعاملين.
credential-upgrade-button = تأكيد «{ $name }» عبر البريد الإلكتروني
upgrade-mail-sent = تم إرسال رابط إلى عنوانك المؤكَّد. يُرجى فتحه في هذا المتصفح لإتمام العملية.
upgrade-needs-email = يُرجى تأكيد عنوان بريد إلكتروني أولًا: فالرابط يُرسَل إليه.
credential-upgraded = تم التأكيد: أصبحت وسيلة تسجيل الدخول هذه تُحتسب بالكامل.
upgrade-title = تأكيد وسيلة تسجيل الدخول الجديدة
upgrade-confirm = يُرجى تأكيد أنك أضفت وسيلة تسجيل الدخول هذه. وإن لم يكن ذلك من فعلك، فيُرجى عدم التأكيد وتغيير كلمة المرور بدلًا من ذلك.
email-verify-title = تأكيد عنوانك
email-verify-confirm = يُرجى تأكيد أن عنوان البريد الإلكتروني هذا يخص حسابك.
email-taken = هذا العنوان مؤكَّد من قبل لحساب آخر.
mail-link-sign-in-first = يُرجى تسجيل الدخول إلى حسابك في هذا المتصفح، ثم فتح الرابط مرة أخرى.
mail-link-other-account = أُرسل هذا الرابط لحساب آخر أو لعملية تسجيل دخول أخرى.
mail-link-confirm-button = تأكيد
totp-failures-notice = { $count ->
    [zero] لم يُدخَل أي رمز خاطئ من تطبيق المصادقة لحسابك منذ زيارتك الأخيرة.
    [one] أُدخِل رمز خاطئ من تطبيق المصادقة لحسابك منذ زيارتك الأخيرة. وإن لم يكن ذلك من فعلك، فهناك من يعرف كلمة مرورك: يُرجى تغييرها.
    [two] أُدخِل رمزان خاطئان من تطبيق المصادقة لحسابك منذ زيارتك الأخيرة. وإن لم يكن ذلك من فعلك، فهناك من يعرف كلمة مرورك: يُرجى تغييرها.
    [few] أُدخِلت { $count } رموز خاطئة من تطبيق المصادقة لحسابك منذ زيارتك الأخيرة. وإن لم يكن ذلك من فعلك، فهناك من يعرف كلمة مرورك: يُرجى تغييرها.
    [many] أُدخِل { $count } رمزًا خاطئًا من تطبيق المصادقة لحسابك منذ زيارتك الأخيرة. وإن لم يكن ذلك من فعلك، فهناك من يعرف كلمة مرورك: يُرجى تغييرها.
   *[other] أُدخِل { $count } رمز خاطئ من تطبيق المصادقة لحسابك منذ زيارتك الأخيرة. وإن لم يكن ذلك من فعلك، فهناك من يعرف كلمة مرورك: يُرجى تغييرها.
}

profile-title = هويتك
profile-given-name = الاسم الشخصي
profile-family-name = اسم العائلة
profile-save = حفظ
profile-saved = تم حفظ بيانات هويتك.
profile-invalid = يتكوّن الاسم من 200 حرف على الأكثر، من دون أحرف تحكّم.
profile-stale = تغيّر حسابك في هذه الأثناء: يُرجى مراجعة الأسماء أدناه، ثم الحفظ مجددًا.
directory-managed = تأتي هذه المعلومات من دليل مؤسستك، وتُغيَّر هناك لا هنا.
directory-managed-profile = يأتي اسمك من دليل مؤسستك؛ لتصحيحه، تواصل مع قسم المعلوماتية فيها.
directory-managed-password = كلمة مرورك هي كلمة مرور دليل مؤسستك، وتُغيَّر هناك. يُغنيك مفتاح المرور عن كتابتها.
directory-managed-email = يأتي هذا العنوان من دليل مؤسستك؛ لتصحيحه، تواصل مع قسم المعلوماتية فيها.
services-title = الخدمات المرتبطة
services-none = لا توجد أي خدمة مأذون لها.
services-help = يؤدي سحب الإذن من خدمة إلى قطع وصولها إلى حسابك؛ وستطلب الخدمة موافقتك مجددًا في المرة القادمة.
service-since = تم الإذن في { $date }
service-scopes = الوصول إلى:
service-withdraw = سحب إذن الوصول من { $name }
consent-withdrawn = تم سحب إذن وصول الخدمة.
activity-title = النشاط الأخير
activity-none = لا يوجد أي نشاط مسجَّل.
activity-failed = فشل
activity-by-admin = من قِبل أحد المسؤولين
activity-sign-in = تسجيل الدخول
activity-user-updated = تم تعديل بيانات الهوية
activity-user-disabled = تم تعطيل الحساب
activity-user-enabled = تمت إعادة تفعيل الحساب
activity-user-sessions-ended = تم إنهاء الجلسات
activity-user-credentials-reset = تمت إعادة تعيين وسائل تسجيل الدخول
activity-user-exported = تم تنزيل البيانات
activity-consent-withdrawn = تم سحب إذن وصول إحدى الخدمات
activity-role-granted = تم منح دور إداري
activity-role-revoked = تم سحب دور إداري
data-title = بياناتك
data-help = يمكنك تنزيل كل ما تحتفظ به هذه الخدمة عنك (الملف الشخصي، ومفاتيح المرور، والجلسات، والخدمات المأذون لها، والنشاط) في ملف JSON.
data-download = تنزيل بياناتي
delete-title = حذف حسابي
delete-help = الحذف نهائي: تُمحى بيانات ملفك الشخصي ومفاتيح المرور وكلمة المرور والأذونات، ويُسجَّل خروجك من جميع الخدمات، ولن يعود بالإمكان استخدام اسم المستخدم الخاص بك لتسجيل الدخول. ويحتفظ سجل الأمان بأثر مجهول الهوية لعملية الحذف.
delete-confirm-label = أفهم أن حذف حسابي نهائي.
delete-button = حذف حسابي
delete-unconfirmed = يُرجى تحديد المربع لتأكيد الحذف.
delete-last-operator = هذا الحساب هو آخر مشغِّل للمنصة: لا يمكن حذفه.
account-deleted-title = تم حذف الحساب
account-deleted-message = تم حذف حسابك وبياناتك، وتم تسجيل خروجك.
activity-recovery-used = تم استرداد الحساب
activity-passkey-added = تمت إضافة مفتاح مرور
activity-passkey-removed = تمت إزالة مفتاح مرور
activity-password-set = تم تعيين كلمة المرور
activity-password-removed = تمت إزالة كلمة المرور
activity-totp-enabled = تم تفعيل المصادقة الثنائية
activity-totp-disabled = تم إيقاف المصادقة الثنائية
activity-recovery-codes-renewed = تم إنشاء رموز استرداد جديدة
activity-email-changed = تم تغيير عنوان البريد الإلكتروني
activity-session-ended = تم إنهاء الجلسة
activity-consent-given = تم منح إذن الوصول لإحدى الخدمات

## لوحة الإدارة (<issuer>/admin)
console-title = الإدارة
console-nav = الإدارة
console-skip = الانتقال إلى المحتوى
console-nav-users = الحسابات
console-nav-clients = الخدمات
console-nav-keys = مفاتيح التوقيع
console-nav-audit = سجل التدقيق
console-nav-settings = الإعدادات
console-nav-tenants = الجماعات المحلية
console-nav-branding = المظهر
console-forbidden = ليس لحسابك أي دور إداري هنا. يمكن لأحد المشغِّلين منحك دورًا (trame admin grant).
console-read-only = يتيح لك دورك الاطلاع دون التعديل.
console-read-only-note = يتيح لك دورك (مدقِّق) الاطلاع دون التعديل.
console-operators-only = لا يرى هذه الصفحة إلا مشغِّلو المنصة.
console-invalid-form = يحتوي هذا النموذج على قيمة غير صالحة. يُرجى الرجوع إلى الصفحة والبدء من جديد.
console-search = بحث
console-filter = تصفية
console-save = حفظ
console-next-page = الصفحة التالية
console-yes = نعم
console-no = لا
console-none = لا يوجد
console-username = اسم المستخدم
console-name = الاسم
console-email = عنوان البريد الإلكتروني
console-status = الحالة
console-active = نشط
console-disabled = معطَّل
console-disabled-since = معطَّل منذ { $date }
console-verified = مُتحقَّق منه
console-unverified = غير مُتحقَّق منه
console-created = تاريخ الإنشاء
console-credentials = وسائل تسجيل الدخول
console-credentials-summary = { $passkeys ->
    [0] لا يوجد أي مفتاح مرور
    [zero] لا يوجد أي مفتاح مرور
    [one] مفتاح مرور واحد
    [two] مفتاحا مرور
    [few] { $passkeys } مفاتيح مرور
    [many] { $passkeys } مفتاح مرور
   *[other] { $passkeys } مفتاح مرور
  }، كلمة المرور: { $password }، TOTP: { $totp }
console-roles = الأدوار
console-users-title = الحسابات
console-users-search = البحث عن حساب
console-users-search-help = بداية اسم المستخدم أو عنوان البريد الإلكتروني أو الاسم الشخصي أو اسم العائلة، بغضّ النظر عن الأحرف الكبيرة والصغيرة وعلامات التشكيل.
console-users-found = الحسابات التي تبدأ بـ«{ $q }»
console-users-all = جميع الحسابات، مرتَّبة حسب اسم المستخدم
console-users-none = لا يوجد أي حساب مطابق.
console-back-users = العودة إلى الحسابات
console-passkeys-none = لا يوجد أي مفتاح مرور.
console-sessions-title = الجلسات المفتوحة
console-sessions-none = لا توجد أي جلسة مفتوحة.
console-device = الجهاز
console-since = من تاريخ
console-until = حتى تاريخ
console-end-sessions = إنهاء جميع جلسات هذا الحساب
console-trail-title = السجل
console-trail-all = السجل الكامل لهذا الحساب
console-actions-title = الإجراءات
console-disable = تعطيل الحساب
console-disable-help = لن يتمكن الحساب من تسجيل الدخول بعد ذلك، وتُغلق جلساته، وتتوقف رموزه المميَّزة عن العمل فورًا. ويمكن إعادة تفعيله لاحقًا.
console-enable = إعادة تفعيل الحساب
console-reset-title = إعادة تعيين وسائل تسجيل الدخول
console-reset-help-mail = يحذف هذا الإجراء مفاتيح المرور وكلمة المرور وإعداد TOTP ورموز الاسترداد، ويُنهي الجلسات، ويرسل رابط استرداد إلى العنوان المُتحقَّق منه لصاحب الحساب.
console-reset-help-no-mail = يحذف هذا الإجراء مفاتيح المرور وكلمة المرور وإعداد TOTP ورموز الاسترداد، ويُنهي الجلسات. ليس لهذا الحساب عنوان مُتحقَّق منه: يُرجى بعد ذلك تزويد صاحب الحساب بوسيلة أخرى للعودة (كلمة مرور مؤقتة عبر trame user set-password، أو عنوان مُتحقَّق منه مع صفحة الاسترداد).
console-reset = إعادة التعيين
console-delete-title = حذف الحساب
console-delete-help = حذف نهائي (وفق اللائحة العامة لحماية البيانات، RGPD): تُمحى البيانات الشخصية، وتُغلق الجلسات، وتُبلَّغ الخدمات. ويحتفظ سجل التدقيق بأثر مجهول الهوية.
console-type-to-confirm = للتأكيد، يُرجى كتابة «{ $name }»
console-delete-user = حذف نهائي
console-user-disabled = تم تعطيل الحساب.
console-user-enabled = تمت إعادة تفعيل الحساب.
console-user-deleted = تم حذف الحساب.
console-user-sessions-ended = تم إنهاء جلسات الحساب.
console-user-reset-link-sent = تم حذف وسائل تسجيل الدخول وإرسال رابط استرداد.
console-user-reset-no-address = تم حذف وسائل تسجيل الدخول. ونظرًا لعدم وجود عنوان مُتحقَّق منه (أو لعدم توفر إرسال البريد الإلكتروني)، لم يُرسَل أي رابط: يُرجى تزويد صاحب الحساب بوسيلة أخرى للعودة.
console-last-operator = هذا هو آخر مشغِّل للمنصة: يُرجى تعيين مشغِّل آخر أولًا.
console-unconfirmed = الاسم المُدخَل غير مطابق: لم يُغيَّر أي شيء.
console-clients-title = الخدمات
console-clients-none = لا توجد أي خدمة مسجَّلة.
console-client-new = تسجيل خدمة
console-back-clients = العودة إلى الخدمات
console-client-id = معرّف الخدمة (client_id)
console-client-id-help = أحرف وأرقام ونقاط وشَرطات؛ ولا يمكن تغييره لاحقًا.
console-client-name = الاسم المعروض للمستخدمين
console-client-kind = النوع
console-kind-web = تطبيق ويب مع خادم
console-kind-web-help = يحتفظ بسرّ على خادمه (client_secret_basic)، ويسجّل المستخدمون الدخول من خلاله.
console-kind-public = تطبيق للهاتف المحمول أو تطبيق أحادي الصفحة
console-kind-public-help = من دون سرّ، ومحميّ بواسطة PKCE، ويسجّل المستخدمون الدخول من خلاله.
console-kind-service = خدمة من دون مستخدمين
console-kind-service-help = برنامج يستدعي واجهات برمجة التطبيقات (API) باستخدام سرّه (client_credentials).
console-client-federation = مسجَّلة عبر الاتحاد
console-redirect-uris = عناوين العودة (redirect_uris)
console-redirect-uris-help = عنوان واحد في كل سطر، وتُقارَن العناوين حرفيًا؛ واستخدام https إلزامي إلا على localhost.
console-logout-uris = عناوين العودة بعد تسجيل الخروج (اختياري)
console-scope = النطاقات المسموح بها (scope)
console-scope-help = مفصولة بمسافات، مثلًا: openid profile email
console-client-register = تسجيل
console-client-invalid = الحقل «{ $field }» غير مقبول.
console-client-created = تم تسجيل الخدمة «{ $id }»
console-secret-rotated = سرّ جديد للخدمة «{ $id }»
console-secret-once = يُرجى نسخ هذا السرّ الآن: لن يُعرض مرة أخرى أبدًا. ولا يحتفظ Trame إلا ببصمة منه.
console-client-secret = سرّ الخدمة (client_secret)
console-client-see = عرض الخدمة «{ $id }»
console-rotate-secret = إنشاء سرّ جديد
console-rotate-secret-help = يتوقف السرّ القديم عن العمل فورًا.
console-client-delete-title = حذف الخدمة
console-client-delete-help = تتوقف رموزها المميَّزة عن العمل، ولن يتمكن المستخدمون من تسجيل الدخول إليها بعد ذلك.
console-client-delete = حذف الخدمة
console-client-deleted = تم حذف الخدمة.
console-keys-title = مفاتيح التوقيع
console-keys-help = تُوقَّع الرموز المميَّزة بالمفتاح النشط؛ والمفاتيح المنشورة موجودة في JWKS للتحقق من الرموز المميَّزة الصادرة سابقًا.
console-key-id = المعرّف (kid)
console-key-alg = الخوارزمية
console-key-signs-from = بدء التوقيع في
console-key-next = منشور، وغير نشط بعد
console-key-active = نشط
console-key-retiring = قيد السحب (للتحقق فقط)
console-key-retired = مسحوب
console-key-rotate-title = استبدال المفتاح
console-key-delay = يبدأ المفتاح الجديد التوقيع
console-key-delay-hours = { $hours ->
    [0] فورًا
    [zero] فورًا
    [one] بعد ساعة واحدة
    [two] بعد ساعتين
    [few] بعد { $hours } ساعات
    [many] بعد { $hours } ساعة
   *[other] بعد { $hours } ساعة
  }
console-key-rotate = استبدال المفتاح
console-key-rotated = تم نشر مفتاح جديد.
console-audit-title = سجل التدقيق
console-audit-invalid = أحد التواريخ غير صالح، أو أن تاريخ البداية يأتي بعد تاريخ النهاية.
console-when = التاريخ
console-actor = المنفِّذ
console-action = الإجراء
console-target = الهدف
console-outcome = النتيجة
console-address = العنوان
console-success = نجاح
console-failure = فشل
console-records-none = لا توجد أي أحداث.
console-settings-title = الإعدادات
console-slug = المعرّف
console-issuer = الجهة المُصدِرة (issuer)
console-display-name = الاسم المعروض
console-display-name-invalid = يتكوّن الاسم المعروض من 1 إلى 200 حرف قابل للطباعة.
console-settings-saved = تم حفظ الإعدادات.
console-settings-stale = تغيّرت الإعدادات في هذه الأثناء: هذه حالتها الحالية، ولم يُستبدَل أي شيء.
console-policies-title = القواعد
console-policies-help = تحدّد هذه القواعد ما يمكن للمستخدمين فعله، ويعدّلها المشغِّل باستخدام «trame tenant set { $slug }».
console-policy-registration = التسجيل
console-policy-dynamic-registration = التسجيل الديناميكي للخدمات
console-policy-usernames = أسماء المستخدمين
console-policy-credential-upgrade = رفع مستوى وسائل تسجيل الدخول
console-policy-acr-rules = مستويات الضمان
console-tenants-title = الجماعات المحلية
console-tenant-users = الحسابات
console-tenant-clients = الخدمات

## The console's branding page and time zone setting
console-branding-title = المظهر والبيانات الإلزامية
console-branding-help = الشعار واللون والروابط التي تعرضها جميع صفحات الجماعة المحلية: الترويسة والتذييل والبيانات الإلزامية لموقع عمومي.
console-branding-logo = الشعار
console-branding-logo-current = الشعار الحالي لـ { $tenant }
console-branding-logo-none = لا يوجد شعار: تعرض الصفحات اسم الجماعة المحلية.
console-branding-logo-file = شعار جديد (SVG أو PNG)
console-branding-logo-help = 60 كيلوبايت على الأكثر. يُعاد كتابة ملف SVG دون نصوص برمجية أو روابط خارجية، ويجب تحويل نصه إلى مسارات. اتركه فارغًا للإبقاء على الشعار الحالي.
console-branding-logo-remove = إزالة الشعار
console-branding-color = اللون الرئيسي
console-branding-color-help = الأزرار والروابط، بالصيغة ‎#RRGGBB‎. يجب أن يكون تباين النص الأبيض على هذا اللون 4.5:1 على الأقل (WCAG AA). اتركه فارغًا لاستخدام لون السمة.
console-branding-service = موقع الجماعة المحلية
console-branding-legal-notice = البيانات القانونية
console-branding-privacy = البيانات الشخصية
console-branding-accessibility = بيان إمكانية الوصول
console-branding-contact = الاتصال
console-branding-url-help = عنوان https كامل. اتركه فارغًا لإزالة الرابط.
console-branding-contact-help = عنوان https كامل أو عنوان mailto:‎. اتركه فارغًا لإزالة الرابط.
console-branding-status = حالة المطابقة لمعيار RGAA
console-branding-status-help = البيان الذي يعرضه التذييل، وهو «غير مطابقة» ما لم يُجرَ أي تدقيق.
console-branding-invalid = بعض القيم غير مقبولة: راجع الحقول المشار إليها. لم يُحفظ أي شيء.
console-branding-saved = تم حفظ المظهر.
console-branding-stale = تغيّر المظهر في هذه الأثناء: هذه حالته الحالية، ولم يُستبدَل أي شيء.
console-branding-color-syntax = اكتب اللون بالصيغة ‎#RRGGBB‎، مثلًا ‎#1E3A8A‎.
console-branding-color-contrast = تباين النص الأبيض على هذا اللون { $ratio }:1، وهو أقل من 4.5:1 المطلوب: اختر لونًا أغمق.
console-branding-url-invalid = أدخل عنوان https كاملًا، مثلًا https://www.ville.example/mentions-legales
console-branding-contact-invalid = أدخل عنوان https كاملًا أو عنوان mailto:‎، مثلًا mailto:mairie@ville.example
console-branding-status-invalid = اختر إحدى الحالات الثلاث المقترحة.
console-branding-logo-too-large = يتجاوز هذا الملف 60 كيلوبايت: صغّر حجمه (ملف SVG مبسّط أو صورة PNG أصغر).
console-branding-logo-not-an-image = هذا الملف ليس صورة SVG ولا صورة PNG.
console-branding-logo-png-unreadable = صورة PNG هذه غير قابلة للقراءة أو غير مكتملة.
console-branding-logo-png-size = تتجاوز صورة PNG هذه 2048 × 2048 بكسل.
console-branding-logo-svg-unreadable = ملف SVG هذا غير قابل للقراءة.
console-branding-logo-svg-dtd = يحتوي ملف SVG هذا على تعريف نوع المستند (DTD): صدّره من دونه.
console-branding-logo-svg-text = يحتوي ملف SVG هذا على نص يتوقف عرضه على الخطوط: حوّل النص إلى مسارات (خطوط خارجية) في برنامج الرسم.
console-branding-logo-svg-empty = ملف SVG هذا لا يرسم شيئًا.
console-time-zone-title = المنطقة الزمنية
console-time-zone = المنطقة الزمنية للصفحات
console-time-zone-help = اسم المنطقة وفق IANA التي تكتب بها الصفحات الأوقات، مثلًا Europe/Paris أو Indian/Reunion أو America/Cayenne أو Pacific/Noumea. يُطبَّق التوقيت الصيفي تلقائيًا.
console-time-zone-invalid = هذه المنطقة الزمنية غير معروفة. اكتب اسمها وفق IANA، مثلًا Europe/Paris أو Indian/Reunion.
console-time-zone-saved = تم حفظ المنطقة الزمنية.

## الترويسة والتذييل: الجماعة المحلية والبيانات الإلزامية
brand-home = الصفحة الرئيسية لموقع الجماعة المحلية
footer-legal-notice = الإشعار القانوني
footer-privacy = البيانات الشخصية
footer-accessibility-full = إمكانية الوصول: مطابقة كليًا
footer-accessibility-partial = إمكانية الوصول: مطابقة جزئيًا
footer-accessibility-none = إمكانية الوصول: غير مطابقة
footer-contact = التواصل
signup-privacy-notice = تستخدم { $tenant } اسم المستخدم وعنوان البريد الإلكتروني لتمكين تسجيل الدخول إلى خدماتها الإلكترونية، ولا يُرسَلان إلى أي خدمة إلا بموافقة صاحب الحساب.
footer-transparency = الشفافية

## The public transparency page
transparency-title = الشفافية
transparency-intro = تُحصي هذه الأرقام العمليات (عمليات تسجيل الدخول، والرموز المميَّزة الصادرة، والتبادلات بين المنصات)، ولا تُحصي الأشخاص أبدًا. ويُعرض كل عدد من 1 إلى 9 بالصيغة «< 10».
transparency-dependency-title = الاعتماد على مقدِّمي خدمات من خارج أوروبا
transparency-within-eea = لم يشارك أي مقدِّم خدمات يقع مقرّه خارج الاتحاد الأوروبي والمنطقة الاقتصادية الأوروبية في { $percent }% من العمليات خلال الاثني عشر شهرًا الماضية.
transparency-no-transactions = لم تُسجَّل أي عملية خلال الاثني عشر شهرًا الماضية.
transparency-percent = { $percent }%
transparency-fewer-than-ten = < 10
transparency-fewer-than-ten-long = من 1 إلى 9
transparency-months-title = العمليات حسب الشهر
transparency-days-title = العمليات حسب اليوم (آخر 31 يومًا)
transparency-col-period = الفترة
transparency-col-sign_in_passkey = عمليات تسجيل الدخول بمفتاح مرور
transparency-col-sign_in_password = عمليات تسجيل الدخول بكلمة مرور
transparency-col-sign_in_peer = عمليات تسجيل الدخول عبر منصة شريكة
transparency-col-sign_in_upstream = عمليات تسجيل الدخول عبر مزوِّد هوية
transparency-col-sign_in_other = عمليات تسجيل الدخول الأخرى (استرداد الحساب)
transparency-col-tokens = الرموز المميَّزة الصادرة
transparency-col-federation_in = تبادلات الاتحاد الواردة
transparency-col-federation_out = تبادلات الاتحاد الصادرة
transparency-col-mails = رسائل البريد الإلكتروني المرسَلة
transparency-col-services = الخدمات المستخدَمة
transparency-col-within-eea = دون مقدِّمي خدمات من خارج الاتحاد الأوروبي/المنطقة الاقتصادية الأوروبية
transparency-providers-title = مقدِّمو الخدمات الذين أعلن عنهم المشغِّل
transparency-providers-none = لم يُعلن المشغِّل عن أي مقدِّم خدمات.
transparency-col-provider = مقدِّم الخدمات
transparency-col-country = البلد
transparency-col-role = الدور
transparency-col-eea = داخل الاتحاد الأوروبي/المنطقة الاقتصادية الأوروبية
transparency-yes = نعم
transparency-no = لا
transparency-hosts-title = الخوادم التي اتصلت بها المنصة (آخر 31 يومًا)
transparency-hosts-none = لم يتم الاتصال بأي خادم خارجي.
transparency-col-host = الخادم
transparency-col-requests = الطلبات
transparency-col-declared = المصدر
transparency-configured = مُدرَج في الإعدادات
transparency-unexpected = غير مُدرَج في الإعدادات وغير مُعلَن عنه
transparency-json = هذه الأرقام بصيغة JSON

## E-mails (plain text; $name: the collectivité, $link: the link to open)
mail-verify-subject = { $name }: أكِّد عنوانك
mail-verify-body =
    مرحبًا،

    لتأكيد عنوانك لدى { $name }، افتح هذا الرابط في المتصفح الذي سجّلت فيه الدخول إلى حسابك:
    { $link }

    إذا لم تطلب ذلك، فتجاهل هذه الرسالة.
mail-recovery-subject = { $name }: استعادة الحساب
mail-recovery-body =
    مرحبًا،

    لاستعادة الوصول إلى حسابك لدى { $name }، افتح هذا الرابط خلال 30 دقيقة:
    { $link }

    إذا لم تطلب شيئًا، فتجاهل هذه الرسالة: يبقى حسابك محميًّا.
mail-reset-subject = { $name }: وسائل دخول جديدة
mail-reset-body =
    مرحبًا،

    أزالت إدارة { $name } وسائل الدخول إلى حسابك (مفاتيح المرور، كلمة المرور، التحقق بخطوتين، رموز الاستعادة). لتسجيل الدخول وإضافة مفتاح مرور جديد، افتح هذا الرابط خلال 30 دقيقة:
    { $link }

    إذا لم تكن تتوقع هذه الرسالة، فاتصل بـ { $name }.
mail-upgrade-subject = { $name }: أكِّد وسيلة الدخول
mail-upgrade-body =
    مرحبًا،

    لكي تُحتسب وسيلة الدخول الجديدة إلى { $name } بالكامل، افتح هذا الرابط خلال 30 دقيقة، في المتصفح الذي أضفتها منه:
    { $link }

    إذا لم تُضِف شيئًا، فربما يعرف أحدهم كلمة مرورك: غيّرها وأزِل وسيلة الدخول تلك.

## Dates as pages show them ($day, $month: the month's name, $year; $date, $time in 24-hour form in the tenant's time zone, $zone: that zone's offset from UTC, as "UTC+1" or "UTC−3")
date-day = { $day } { $month } { $year }
date-time = { $date }، الساعة { $time } ({ $zone })
month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = مايو
month-6 = يونيو
month-7 = يوليو
month-8 = أغسطس
month-9 = سبتمبر
month-10 = أكتوبر
month-11 = نوفمبر
month-12 = ديسمبر

## The language switcher (the name is each language's own)
language-name = العربية
language-switcher-label = اللغة

## Accessibility: text alternatives and warnings (RGAA 1.1, 13.2)
totp-qr-alt = رمز QR للمسح باستخدام تطبيق المصادقة؛ المفتاح الذي يُدخَل يدويًا مذكور أدناه.
new-window = نافذة جديدة
