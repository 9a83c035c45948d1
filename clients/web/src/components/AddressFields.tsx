import { Form, Input, Tabs } from "antd";
import { MailOutlined, MobileOutlined } from "@ant-design/icons";
import { EMAIL_RE, PHONE_RE, type ContactKind } from "../lib/contact";
import { useI18n } from "../i18n";

/** Phone / email tabs; the value lives in form field "phone" or "email". */
export function AddressFields({ kind, onKindChange }: { kind: ContactKind; onKindChange: (k: ContactKind) => void }) {
  const { t } = useI18n();
  return (
    <>
      <Tabs
        activeKey={kind}
        onChange={(k) => onKindChange(k as ContactKind)}
        size="small"
        items={[
          { key: "phone", label: <span data-testid="tab-phone">{t("auth.tabPhone")}</span> },
          { key: "email", label: <span data-testid="tab-email">{t("auth.tabEmail")}</span> },
        ]}
      />
      {kind === "phone" ? (
        <Form.Item
          name="phone"
          label={t("auth.phone")}
          rules={[
            { required: true, message: t("common.required", { field: t("auth.phone") }) },
            { pattern: PHONE_RE, message: t("auth.phoneInvalid") },
          ]}
        >
          <Input data-testid="input-phone" prefix={<><MobileOutlined /><span className="muted">+86</span></>} placeholder={t("auth.phonePlaceholder")} autoComplete="tel" maxLength={14} />
        </Form.Item>
      ) : (
        <Form.Item
          name="email"
          label={t("auth.email")}
          rules={[
            { required: true, message: t("common.required", { field: t("auth.email") }) },
            { pattern: EMAIL_RE, message: t("auth.emailInvalid") },
          ]}
        >
          <Input data-testid="input-email" prefix={<MailOutlined />} placeholder={t("auth.emailPlaceholder")} autoComplete="email" maxLength={254} />
        </Form.Item>
      )}
    </>
  );
}
