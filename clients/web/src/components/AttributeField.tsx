import { Form, Input, Select, Space } from "antd";
import type { Rule } from "antd/es/form";
import { KIND, attributeLabel, isZh, type AttributeLike, type OptionLike } from "../lib/categories";
import { compareDecimal } from "../lib/decimal";
import type { RangeValue } from "../lib/listingForm";
import { useI18n } from "../i18n";

function optionText(o: OptionLike, lang: string): string {
  return isZh(lang) ? o.labelZh || o.value : o.labelEn || o.labelZh || o.value;
}

/** Problem with a number against the attribute's decimals and bounds, or null. */
export function numberProblem(a: AttributeLike, text: string, t: ReturnType<typeof useI18n>["t"]): string | null {
  const v = text.trim();
  const re = a.decimals > 0 ? new RegExp(`^-?\\d+(\\.\\d{1,${a.decimals}})?$`) : /^-?\d+$/;
  if (!re.test(v)) return a.decimals > 0 ? t("attr.decimals", { n: a.decimals }) : t("attr.integer");
  const min = a.min?.value;
  const max = a.max?.value;
  if ((min && compareDecimal(v, min) < 0) || (max && compareDecimal(v, max) > 0)) return t("attr.bounds", { min: min ?? "", max: max ?? "", unit: a.unit });
  return null;
}

function boundsHint(a: AttributeLike): string {
  if (!a.min?.value && !a.max?.value) return "";
  return `${a.min?.value ?? ""}–${a.max?.value ?? ""}${a.unit ? ` ${a.unit}` : ""}`;
}

/** from–to inputs whose form value is {from, to} (sent as "from-to"). */
function RangeInput({ value, onChange, unit, testId, placeholder }: { value?: RangeValue; onChange?: (v: RangeValue) => void; unit: string; testId: string; placeholder?: string }) {
  const { t } = useI18n();
  return (
    <Space.Compact style={{ width: "100%" }}>
      <Input
        value={value?.from ?? ""}
        onChange={(e) => onChange?.({ ...value, from: e.target.value })}
        placeholder={placeholder ?? t("attr.from")}
        inputMode="decimal"
        data-testid={`${testId}-from`}
      />
      <Input
        value={value?.to ?? ""}
        onChange={(e) => onChange?.({ ...value, to: e.target.value })}
        placeholder={t("attr.to")}
        suffix={unit || undefined}
        inputMode="decimal"
        data-testid={`${testId}-to`}
      />
    </Space.Compact>
  );
}

/** A listing form field generated from one attribute of the category schema (form name ["attributes", key]). */
export function AttributeField({ attribute: a }: { attribute: AttributeLike }) {
  const { t, lang } = useI18n();
  const label = attributeLabel(a, lang);
  const testId = `attr-${a.key}`;
  const rules: Rule[] = [];
  const requiredMessage = t("common.required", { field: label });
  let control;
  switch (a.kind) {
    case KIND.ENUM:
      if (a.required) rules.push({ required: true, message: requiredMessage });
      control = (
        <Select
          allowClear={!a.required}
          showSearch={{ optionFilterProp: "label" }}
          placeholder={t("attr.choose")}
          options={a.options.map((o) => ({ value: o.value, label: optionText(o, lang) }))}
          data-testid={testId}
        />
      );
      break;
    case KIND.NUMBER:
      rules.push({ required: a.required, whitespace: true, message: requiredMessage });
      rules.push({ validator: (_, v: string) => (!v || !v.trim() || !numberProblem(a, v, t) ? Promise.resolve() : Promise.reject(new Error(numberProblem(a, v, t)!))) });
      control = <Input inputMode="decimal" suffix={a.unit || undefined} placeholder={boundsHint(a)} maxLength={20} data-testid={testId} />;
      break;
    case KIND.RANGE:
      rules.push({
        validator: (_, v: RangeValue | undefined) => {
          const from = (v?.from ?? "").trim();
          const to = (v?.to ?? "").trim();
          if (!from && !to) return a.required ? Promise.reject(new Error(requiredMessage)) : Promise.resolve();
          const problem = (from && numberProblem(a, from, t)) || (to && numberProblem(a, to, t));
          if (problem) return Promise.reject(new Error(problem));
          if (from && to && compareDecimal(from, to) > 0) return Promise.reject(new Error(t("attr.rangeOrder")));
          return Promise.resolve();
        },
      });
      control = <RangeInput unit={a.unit} testId={testId} placeholder={boundsHint(a) || undefined} />;
      break;
    default:
      rules.push({ required: a.required, whitespace: true, message: requiredMessage });
      if (a.maxLength > 0) rules.push({ max: a.maxLength });
      control = <Input maxLength={a.maxLength > 0 ? a.maxLength : undefined} showCount={a.maxLength > 0} data-testid={testId} />;
  }
  return (
    <Form.Item name={["attributes", a.key]} label={label} required={a.required} rules={rules} data-testid={`field-${a.key}`}>
      {control}
    </Form.Item>
  );
}
