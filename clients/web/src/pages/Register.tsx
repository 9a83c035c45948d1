import { useState } from "react";
import { Alert, App, Button, Form, Input, Radio } from "antd";
import { Link, useNavigate, useSearchParams } from "react-router";
import { identityClient } from "../api/client";
import { applyFieldErrors, parseError, type ApiError, type FieldViolation } from "../api/errors";
import { useAuth } from "../auth";
import { AddressFields } from "../components/AddressFields";
import { AuthShell } from "../components/AuthShell";
import { FormError } from "../components/FormError";
import { PasswordRules } from "../components/PasswordRules";
import { SendCodeButton } from "../components/SendCodeButton";
import { contactAddress, type ContactKind } from "../lib/contact";
import { clearPendingLink, loadPendingLink } from "../lib/oauthLink";
import { passwordOk } from "../lib/password";
import { providerKey } from "../lib/labels";
import { AccountKind, VerificationPurpose } from "../gen/b2btrade/identity/v1/identity_service_pb";
import { useI18n } from "../i18n";

interface Values {
  accountKind: AccountKind;
  phone?: string;
  email?: string;
  code: string;
  password: string;
  confirm: string;
  displayName: string;
}

export default function RegisterPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const [kind, setKind] = useState<ContactKind>("phone");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [unmapped, setUnmapped] = useState<FieldViolation[]>([]);
  const password = Form.useWatch("password", form);
  const phone = Form.useWatch("phone", form);
  const email = Form.useWatch("email", form);
  const address = kind === "phone" ? phone : email;
  const pending = params.get("bind") === "1" ? loadPendingLink() : null;

  const known = ["accountKind", "phone", "email", "code", "password", "confirm", "displayName"];
  const fieldMap = { address: [kind], "address.phone": ["phone"], "address.email": ["email"] };

  const showError = (err: ApiError) => {
    setError(err);
    setUnmapped(applyFieldErrors(form, err, { map: fieldMap, known }));
  };

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const res = await identityClient.register({
        address: contactAddress(kind, (kind === "phone" ? v.phone : v.email) ?? ""),
        code: v.code.trim(),
        password: v.password,
        accountKind: v.accountKind,
        displayName: v.displayName.trim(),
        oauthLinkTicket: pending?.ticket ?? "",
      });
      if (pending) clearPendingLink();
      signIn(res.user, res.tokens);
      message.success(t("auth.registerSuccess"));
      navigate("/", { replace: true });
    } catch (e) {
      showError(parseError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthShell title={t("auth.registerTitle")} width={480}>
      {pending && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t("auth.bindTicket", { provider: t(providerKey(pending.provider)), nickname: pending.nickname || "—" })}
        />
      )}
      <FormError error={error} unmapped={unmapped} />
      <Form<Values>
        form={form}
        name="register"
        layout="vertical"
        requiredMark={false}
        initialValues={{ accountKind: AccountKind.ENTERPRISE }}
        onFinish={submit}
        onValuesChange={() => error && setError(null)}
      >
        <Form.Item name="accountKind" label={t("auth.accountKind")}>
          <Radio.Group className="kind-group" block optionType="button" buttonStyle="solid">
            <Radio.Button value={AccountKind.ENTERPRISE}>
              <span data-testid="account-kind-enterprise">{t("auth.kindEnterprise")}</span>
            </Radio.Button>
            <Radio.Button value={AccountKind.INDIVIDUAL}>
              <span data-testid="account-kind-individual">{t("auth.kindIndividual")}</span>
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        <AddressFields
          kind={kind}
          onKindChange={(k) => {
            setKind(k);
            setError(null);
          }}
        />
        <Form.Item label={t("auth.code")} required className="field-code" data-testid="field-code">
          <div className="code-row">
            <Form.Item name="code" noStyle rules={[{ required: true, pattern: /^\d{6}$/, message: t("auth.codeInvalid") }]}>
              <Input data-testid="input-code" placeholder={t("auth.codePlaceholder")} maxLength={6} inputMode="numeric" autoComplete="one-time-code" />
            </Form.Item>
            <SendCodeButton
              purpose={VerificationPurpose.REGISTER}
              getAddress={async () => {
                try {
                  const v = await form.validateFields([kind]);
                  return contactAddress(kind, (kind === "phone" ? v.phone : v.email) ?? "");
                } catch {
                  return null;
                }
              }}
              onError={showError}
            />
          </div>
        </Form.Item>
        <Form.Item
          name="password"
          label={t("auth.password")}
          rules={[
            { required: true, message: t("common.required", { field: t("auth.password") }) },
            { validator: (_, v: string) => (!v || passwordOk(v, address) ? Promise.resolve() : Promise.reject(new Error(t("auth.pwWeak")))) },
          ]}
          dependencies={[kind]}
          extra={<PasswordRules password={password} address={address} />}
        >
          <Input.Password data-testid="input-password" autoComplete="new-password" maxLength={128} />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t("auth.confirmPassword")}
          dependencies={["password"]}
          rules={[
            { required: true, message: t("common.required", { field: t("auth.confirmPassword") }) },
            ({ getFieldValue }) => ({
              validator: (_, v: string) => (!v || v === getFieldValue("password") ? Promise.resolve() : Promise.reject(new Error(t("auth.passwordMismatch")))),
            }),
          ]}
        >
          <Input.Password data-testid="input-confirm" autoComplete="new-password" maxLength={128} />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t("auth.displayName")}
          rules={[
            { required: true, whitespace: true, message: t("common.required", { field: t("auth.displayName") }) },
            { max: 64, message: t("auth.displayNameInvalid") },
          ]}
        >
          <Input data-testid="input-display-name" placeholder={t("auth.displayNamePlaceholder")} maxLength={64} />
        </Form.Item>
        <Button data-testid="register-submit" type="primary" htmlType="submit" block size="large" loading={busy}>
          {t("auth.register")}
        </Button>
        <p className="auth-note">{t("auth.agree")}</p>
      </Form>
      <div className="auth-foot">
        {t("auth.haveAccount")}{" "}
        <Link to={pending ? "/login?bind=1" : "/login"} data-testid="link-login">
          {t("auth.goLogin")}
        </Link>
      </div>
    </AuthShell>
  );
}
