import { useState } from "react";
import { Alert, App, Button, Form, Input, Radio } from "antd";
import { Link, useNavigate, useSearchParams } from "react-router";
import { identityClient } from "../api/client";
import { applyFieldErrors, parseError, type ApiError, type FieldViolation } from "../api/errors";
import { useAuth } from "../auth";
import { AddressFields } from "../components/AddressFields";
import { AuthShell } from "../components/AuthShell";
import { FormError } from "../components/FormError";
import { CodeField } from "../components/CodeField";
import { NewPasswordFields } from "../components/NewPasswordFields";
import { contactAddress, type ContactKind } from "../lib/contact";
import { clearPendingLink, loadPendingLink } from "../lib/oauthLink";
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
        <CodeField
          form={form}
          addressField={kind}
          toAddress={(v) => contactAddress(kind, v)}
          purpose={VerificationPurpose.REGISTER}
          onError={showError}
          label={t("auth.code")}
          data-testid="field-code"
        />
        <NewPasswordFields
          name="password"
          label={t("auth.password")}
          address={address}
          dependencies={[kind]}
          inputTestId="input-password"
          confirmTestId="input-confirm"
        />
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
