import { CheckCircleFilled, CloseCircleOutlined } from "@ant-design/icons";
import { checkPassword } from "../lib/password";
import { useI18n, type MsgKey } from "../i18n";

/** Live checklist of the password rules, shown under a password input. */
export function PasswordRules({ password, address }: { password?: string; address?: string }) {
  const { t } = useI18n();
  const checks = checkPassword(password, address);
  return (
    <ul className="pw-rules" data-testid="password-rules" aria-label={t("auth.pwRules")}>
      {checks.map((c) => (
        <li key={c.rule} data-testid={`pw-rule-${c.rule}`} data-ok={c.ok ? "true" : "false"} className={c.ok ? "ok" : ""}>
          {c.ok ? <CheckCircleFilled /> : <CloseCircleOutlined />}
          <span>{t(`auth.pwRule.${c.rule}` as MsgKey)}</span>
        </li>
      ))}
    </ul>
  );
}
