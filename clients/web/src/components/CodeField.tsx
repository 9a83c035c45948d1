import type { ReactNode } from "react";
import { Form, Input, type FormInstance } from "antd";
import type { ApiError } from "../api/errors";
import type { ContactAddress } from "../gen/b2btrade/common/v1/types_pb";
import type { VerificationPurpose } from "../gen/b2btrade/identity/v1/identity_service_pb";
import { useI18n } from "../i18n";
import { SendCodeButton } from "./SendCodeButton";

interface Props {
  form: FormInstance;
  /** The form field holding the phone or email the code goes to; it is validated before sending. */
  addressField: string;
  /** Turns that field's value into the address to send the code to. */
  toAddress: (value: string) => ContactAddress;
  purpose: VerificationPurpose;
  /** Server errors of the send call (e.g. to put field violations next to the address field). */
  onError?: (e: ApiError) => void;
  /** Field label; without one the field has none (as on the login page). */
  label?: ReactNode;
  /** data-testid of the code input. */
  inputTestId?: string;
  /** data-testid of the send button. */
  sendTestId?: string;
  "data-testid"?: string;
}

/** The 6-digit code input (form field "code") with the "获取验证码" button beside it. */
export function CodeField({ form, addressField, toAddress, purpose, onError, label, inputTestId = "input-code", sendTestId, "data-testid": testId }: Props) {
  const { t } = useI18n();
  const getAddress = async () => {
    try {
      const v = await form.validateFields([addressField]);
      return toAddress(v[addressField] ?? "");
    } catch {
      return null;
    }
  };
  return (
    <Form.Item label={label} required={label !== undefined} className="field-code" data-testid={testId}>
      <div className="code-row">
        <Form.Item name="code" noStyle rules={[{ required: true, pattern: /^\d{6}$/, message: t("auth.codeInvalid") }]}>
          <Input data-testid={inputTestId} placeholder={t("auth.codePlaceholder")} maxLength={6} inputMode="numeric" autoComplete="one-time-code" />
        </Form.Item>
        <SendCodeButton purpose={purpose} getAddress={getAddress} onError={onError} testId={sendTestId} />
      </div>
    </Form.Item>
  );
}
