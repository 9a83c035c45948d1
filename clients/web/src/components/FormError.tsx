import { Alert } from "antd";
import type { ApiError, FieldViolation } from "../api/errors";
import { useI18n } from "../i18n";

/** The server's localized message (plus violations that match no form field) above a form. */
export function FormError({ error, unmapped }: { error: ApiError | null; unmapped?: FieldViolation[] }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <Alert
      data-testid="form-error"
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      title={error.message || t("error.title")}
      description={
        unmapped && unmapped.length > 0 ? (
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {unmapped.map((v, i) => (
              <li key={i}>{v.description}</li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}
