import { Checkbox, Form, Input } from "antd";
import { MemberRole } from "../gen/b2btrade/enterprise/v1/enterprise_service_pb";
import { ROLE_KEYS, ROLE_ORDER } from "../lib/labels";
import { normaliseAmountInput } from "../lib/money";
import { useI18n } from "../i18n";

/** Form fields "roles" (MemberRole[]) and "signingLimit" (amount text, only with Signatory). */
export function RoleEditor() {
  const { t } = useI18n();
  const form = Form.useFormInstance();
  const roles: MemberRole[] | undefined = Form.useWatch("roles", form);
  const signatory = roles?.includes(MemberRole.SIGNATORY);
  return (
    <>
      <Form.Item name="roles" label={t("member.roles")} rules={[{ required: true, type: "array", min: 1, message: t("member.rolesRequired") }]}>
        <Checkbox.Group
          options={ROLE_ORDER.map((r) => ({
            value: r,
            label: <span data-testid={`role-option-${MemberRole[r].toLowerCase()}`}>{t(ROLE_KEYS[r])}</span>,
          }))}
        />
      </Form.Item>
      {signatory && (
        <Form.Item
          name="signingLimit"
          label={t("member.signingLimit")}
          rules={[
            { required: true, message: t("member.signingLimitRequired") },
            { validator: (_, v: string) => (!v || normaliseAmountInput(v) ? Promise.resolve() : Promise.reject(new Error(t("member.signingLimitInvalid")))) },
          ]}
        >
          <Input data-testid="input-signing-limit" prefix="¥" placeholder={t("member.signingLimitPlaceholder")} inputMode="decimal" maxLength={20} />
        </Form.Item>
      )}
    </>
  );
}
