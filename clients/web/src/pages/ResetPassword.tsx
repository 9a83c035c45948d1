import { useState } from "react";
import { App, Button, Form } from "antd";
import { Link, useNavigate } from "react-router";
import { identityClient } from "../api/client";
import { applyFieldErrors, parseError, type ApiError, type FieldViolation } from "../api/errors";
import { AddressFields } from "../components/AddressFields";
import { AuthShell } from "../components/AuthShell";
import { FormError } from "../components/FormError";
import { CodeField } from "../components/CodeField";
import { NewPasswordFields } from "../components/NewPasswordFields";
import { contactAddress, type ContactKind } from "../lib/contact";
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
        <CodeField
          form={form}
          addressField={kind}
          toAddress={(v) => contactAddress(kind, v)}
          purpose={VerificationPurpose.RESET_PASSWORD}
          onError={showError}
          label={t("auth.code")}
        />
        <NewPasswordFields name="newPassword" label={t("auth.newPassword")} address={address} inputTestId="input-password" confirmTestId="input-confirm" />
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
