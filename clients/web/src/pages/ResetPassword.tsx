import { useState } from "react";
import { App, Button, Form, Input } from "antd";
import { Link, useNavigate } from "react-router";
import { identityClient } from "../api/client";
import { applyFieldErrors, parseError, type ApiError, type FieldViolation } from "../api/errors";
import { AddressFields } from "../components/AddressFields";
import { AuthShell } from "../components/AuthShell";
import { FormError } from "../components/FormError";
import { PasswordRules } from "../components/PasswordRules";
import { SendCodeButton } from "../components/SendCodeButton";
import { contactAddress, type ContactKind } from "../lib/contact";
import { passwordOk } from "../lib/password";
import { VerificationPurpose } from "../gen/b2btrade/identity/v1/identity_service_pb";
import { useI18n } from "../i18n";

interface Values {
  phone?: string;
  email?: string;
  code: string;
  newPassword: string;
  confirm: string;
}

export default function ResetPasswordPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [kind, setKind] = useState<ContactKind>("phone");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [unmapped, setUnmapped] = useState<FieldViolation[]>([]);
  const pw = Form.useWatch("newPassword", form);
  const address = Form.useWatch(kind, form);
  const known = ["phone", "email", "code", "newPassword", "confirm"];
  const map = { address: [kind], "address.phone": ["phone"], "address.email": ["email"], password: ["newPassword"] };

  const showError = (err: ApiError) => {
    setError(err);
    setUnmapped(applyFieldErrors(form, err, { map, known }));
  };

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await identityClient.resetPassword({
        address: contactAddress(kind, (kind === "phone" ? v.phone : v.email) ?? ""),
        code: v.code.trim(),
        newPassword: v.newPassword,
      });
      message.success(t("auth.resetSuccess"));
      navigate("/login", { replace: true });
    } catch (e) {
      showError(parseError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthShell title={t("auth.resetTitle")}>
      <FormError error={error} unmapped={unmapped} />
      <Form<Values> form={form} name="reset" layout="vertical" requiredMark={false} onFinish={submit}>
        <AddressFields kind={kind} onKindChange={setKind} />
        <Form.Item label={t("auth.code")} required className="field-code">
          <div className="code-row">
            <Form.Item name="code" noStyle rules={[{ required: true, pattern: /^\d{6}$/, message: t("auth.codeInvalid") }]}>
              <Input data-testid="input-code" placeholder={t("auth.codePlaceholder")} maxLength={6} inputMode="numeric" autoComplete="one-time-code" />
            </Form.Item>
            <SendCodeButton
              purpose={VerificationPurpose.RESET_PASSWORD}
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
          name="newPassword"
          label={t("auth.newPassword")}
          rules={[
            { required: true, message: t("common.required", { field: t("auth.newPassword") }) },
            { validator: (_, v: string) => (!v || passwordOk(v, address) ? Promise.resolve() : Promise.reject(new Error(t("auth.pwWeak")))) },
          ]}
          extra={<PasswordRules password={pw} address={address} />}
        >
          <Input.Password data-testid="input-password" autoComplete="new-password" maxLength={128} />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t("auth.confirmPassword")}
          dependencies={["newPassword"]}
          rules={[
            { required: true, message: t("common.required", { field: t("auth.confirmPassword") }) },
            ({ getFieldValue }) => ({
              validator: (_, v: string) => (!v || v === getFieldValue("newPassword") ? Promise.resolve() : Promise.reject(new Error(t("auth.passwordMismatch")))),
            }),
          ]}
        >
          <Input.Password data-testid="input-confirm" autoComplete="new-password" maxLength={128} />
        </Form.Item>
        <Button data-testid="reset-submit" type="primary" htmlType="submit" block size="large" loading={busy}>
          {t("auth.resetSubmit")}
        </Button>
      </Form>
      <div className="auth-foot">
        <Link to="/login">{t("oauth.toLogin")}</Link>
      </div>
    </AuthShell>
  );
}
