import { useI18n } from "../i18n";

export function Logo({ light }: { light?: boolean }) {
  const { t } = useI18n();
  return (
    <div className={`logo ${light ? "logo-light" : ""}`} data-testid="logo">
      <svg width="30" height="30" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="7" fill="#1554c0" />
        <path d="M6 23 L12.5 15 L17.5 19 L26 9" stroke="#f6a723" strokeWidth="3.2" fill="none" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span className="logo-name">{t("app.name")}</span>
      <span className="logo-sub">{t("app.subtitle")}</span>
    </div>
  );
}
