import { Form, Input } from "antd";
import { passwordOk } from "../lib/password";
import { useI18n } from "../i18n";
import { PasswordRules } from "./PasswordRules";

interface Props {
  /** Form field of the new password ("password" or "newPassword"); the confirmation is field "confirm". */
  name: string;
  label: string;
  /** The account's phone or email, which the password must not contain. */
  address?: string;
  /** Fields whose change re-validates the password (e.g. the address field). */
  dependencies?: string[];
  inputTestId?: string;
  confirmTestId?: string;
}

/** New password (checked against the platform rules, with the live checklist) and its confirmation. */
export function NewPasswordFields({ name, label, address, dependencies, inputTestId, confirmTestId }: Props) {
  const { t } = useI18n();
  const password = Form.useWatch(name, Form.useFormInstance());
  return (
    <>
      <Form.Item
        name={name}
        label={label}
        rules={[
          { required: true, message: t("common.required", { field: label }) },
          { validator: (_, v: string) => (!v || passwordOk(v, address) ? Promise.resolve() : Promise.reject(new Error(t("auth.pwWeak")))) },
        ]}
        dependencies={dependencies}
        extra={<PasswordRules password={password} address={address} />}
      >
        <Input.Password data-testid={inputTestId} autoComplete="new-password" maxLength={128} />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t("auth.confirmPassword")}
        dependencies={[name]}
        rules={[
          { required: true, message: t("common.required", { field: t("auth.confirmPassword") }) },
          ({ getFieldValue }) => ({
            validator: (_, v: string) => (!v || v === getFieldValue(name) ? Promise.resolve() : Promise.reject(new Error(t("auth.passwordMismatch")))),
          }),
        ]}
      >
        <Input.Password data-testid={confirmTestId} autoComplete="new-password" maxLength={128} />
      </Form.Item>
    </>
  );
}
