import { useEffect, useState } from "react";
import { Alert, Button, Checkbox, Form, Input, Modal, Radio, Spin, Typography, type FormInstance } from "antd";
import { SafetyCertificateOutlined } from "@ant-design/icons";
import { contractClient } from "../../api/client";
import { applyFieldErrors, parseError, type ApiError, type FieldViolation } from "../../api/errors";
import { useAuth } from "../../auth";
import { CodeField } from "../CodeField";
import type { Contract, EnrollSigningKeyResponse, GetSigningKeyResponse } from "../../gen/b2btrade/contract/v1/contract_service_pb";
import { VerificationPurpose } from "../../gen/b2btrade/identity/v1/identity_service_pb";
import { contactAddress, EMAIL_RE } from "../../lib/contact";
import { groupHex, keyFingerprint, secretProblem, MAX_SECRET } from "../../lib/contracts";
import { formatTime } from "../../lib/labels";
import { loginAddressKinds, matchesMasked, maskedOf, mobileNumber, type LoginAddressKind } from "../../lib/maskedContact";
import { useI18n } from "../../i18n";

interface Values {
  secret?: string;
  repeat?: string;
  read?: boolean;
}

interface ResetValues {
  address?: string;
  code?: string;
  secret?: string;
  repeat?: string;
}

/** Where the server's violations of EnrollSigningKey (and of SendVerificationCode, on "address") go on the reset form. */
const RESET_FIELDS = {
  verification_code: ["code"],
  signing_secret: ["secret"],
  verification_address: ["address"],
  "verification_address.phone": ["address"],
  "verification_address.email": ["address"],
  address: ["address"],
  "address.phone": ["address"],
  "address.email": ["address"],
};

/**
 * 签署: for a first signature the signatory creates a signing key sealed under a secret typed twice (EnrollSigningKey),
 * then signs with it; later signatures ask for the secret only. The document SHA-256 shown is the one signed.
 * A signatory who forgot the secret replaces the key ("忘记签署密码？"): a code sent to one of their login addresses
 * (purpose SIGNING_KEY) stands in for the old secret; the new key is then used to sign.
 */
export function SignDialog({
  open,
  contract,
  enterpriseId,
  enterpriseName,
  onClose,
  onSigned,
}: {
  open: boolean;
  contract: Contract;
  enterpriseId: string;
  enterpriseName: string;
  onClose: () => void;
  onSigned: (c: Contract) => void;
}) {
  const { t } = useI18n();
  const { user } = useAuth();
  const [form] = Form.useForm<Values>();
  const [resetForm] = Form.useForm<ResetValues>();
  const [key, setKey] = useState<GetSigningKeyResponse | null>(null);
  const [keyError, setKeyError] = useState<ApiError | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [mode, setMode] = useState<"sign" | "reset">("sign");
  const [replaced, setReplaced] = useState(false);
  const [resetError, setResetError] = useState<ApiError | null>(null);
  const [resetUnmapped, setResetUnmapped] = useState<FieldViolation[]>([]);
  const kinds = loginAddressKinds(user);
  const [chosenKind, setKind] = useState<LoginAddressKind>("phone");
  const kind = kinds.includes(chosenKind) ? chosenKind : (kinds[0] ?? "phone");

  useEffect(() => {
    if (!open) return;
    setKey(null);
    setError(null);
    setKeyError(null);
    setMode("sign");
    setReplaced(false);
    form.resetFields();
    contractClient
      .getSigningKey({ enterpriseId })
      .then(setKey)
      .catch((e) => setKeyError(parseError(e)));
  }, [open, enterpriseId, form]);

  const enrol = key !== null && !key.enrolled;

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const secret = v.secret ?? "";
      if (enrol) {
        const res = await contractClient.enrollSigningKey({ enterpriseId, signingSecret: secret });
        setKey(enrolledKey(res));
      }
      const res = await contractClient.signContract({ contractId: contract.contractId, enterpriseId, signingSecret: secret, documentSha256: contract.documentSha256 });
      if (res.contract) onSigned(res.contract);
    } catch (e) {
      const err = parseError(e);
      setError(err);
      const onSecret = err.fieldViolations.filter((f) => f.field === "signing_secret");
      if (onSecret.length) form.setFields([{ name: "secret", errors: onSecret.map((f) => f.description) }]);
    } finally {
      setBusy(false);
    }
  };

  const startReset = () => {
    setError(null);
    setReplaced(false);
    setResetError(null);
    setResetUnmapped([]);
    setMode("reset");
  };

  const showResetError = (err: ApiError) => {
    setResetError(err);
    setResetUnmapped(applyFieldErrors(resetForm, err, { map: RESET_FIELDS, known: ["address", "code", "secret"] }));
  };

  const submitReset = async () => {
    let v: ResetValues;
    try {
      v = await resetForm.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setResetError(null);
    setResetUnmapped([]);
    try {
      const res = await contractClient.enrollSigningKey({
        enterpriseId,
        signingSecret: v.secret ?? "",
        verificationAddress: contactAddress(kind, v.address ?? ""),
        verificationCode: (v.code ?? "").trim(),
      });
      setKey(enrolledKey(res));
      setReplaced(true);
      setMode("sign");
    } catch (e) {
      showResetError(parseError(e));
    } finally {
      setBusy(false);
    }
  };

  const footer =
    mode === "reset"
      ? [
          <Button key="back" onClick={() => setMode("sign")} data-testid="sign-reset-back">
            {t("ctr.resetBack")}
          </Button>,
          <Button key="ok" type="primary" loading={busy} disabled={kinds.length === 0} onClick={() => void submitReset()} data-testid="sign-reset-submit">
            {t("ctr.resetSubmit")}
          </Button>,
        ]
      : [
          <Button key="cancel" onClick={onClose}>
            {t("common.cancel")}
          </Button>,
          <Button key="ok" type="primary" loading={busy} disabled={!key} onClick={() => void submit()} data-testid="sign-submit">
            {t(enrol ? "ctr.enrolAndSign" : "ctr.sign")}
          </Button>,
        ];

  return (
    <Modal
      open={open}
      title={
        <span>
          <SafetyCertificateOutlined /> {t("ctr.signTitle", { name: enterpriseName })}
        </span>
      }
      onCancel={onClose}
      destroyOnHidden
      footer={footer}
    >
      {keyError && <Alert type="error" showIcon title={keyError.message} style={{ marginBottom: 12 }} />}
      {!key && !keyError && <Spin />}
      {key && mode === "reset" && (
        <ResetFields
          form={resetForm}
          kinds={kinds}
          kind={kind}
          onKindChange={(k) => {
            setKind(k);
            resetForm.setFields([{ name: "address", value: undefined, errors: [] }]);
          }}
          masks={{ phone: maskedOf(user, "phone"), email: maskedOf(user, "email") }}
          error={resetError}
          unmapped={resetUnmapped}
          onSendError={showResetError}
          onSubmit={() => void submitReset()}
        />
      )}
      {key && mode === "sign" && (
        <>
          <div className="small" style={{ marginBottom: 8 }}>
            {t("ctr.documentHash")}:
            <Typography.Text code copyable={{ text: contract.documentSha256 }} className="hash" data-testid="sign-hash">
              {groupHex(contract.documentSha256)}
            </Typography.Text>
          </div>
          {replaced && (
            <Alert
              type="success"
              showIcon
              style={{ marginBottom: 12 }}
              title={t("ctr.resetDone", { id: key.keyId, fp: keyFingerprint(key.publicKey) })}
              data-testid="sign-reset-done"
            />
          )}
          {enrol ? (
            <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t("ctr.enrolHint")} data-testid="sign-enrol-hint" />
          ) : (
            <div className="small muted" style={{ marginBottom: 12 }}>
              <span data-testid="sign-key" data-key-id={key.keyId}>
                {t("ctr.yourKey", { id: key.keyId, fp: keyFingerprint(key.publicKey), time: formatTime(key.createdAt) })}
              </span>{" "}
              <Button type="link" size="small" style={{ padding: 0, height: "auto" }} onClick={startReset} data-testid="sign-forgot">
                {t("ctr.forgot")}
              </Button>
            </div>
          )}
          {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} data-testid="sign-error" />}
          <Form form={form} layout="vertical" name="sign" preserve={false} onFinish={() => void submit()}>
            <Form.Item
              name="secret"
              label={t("ctr.secret")}
              rules={[
                { required: true, message: t("common.required", { field: t("ctr.secret") }) },
                ...(enrol ? [newSecretRule(t)] : []),
              ]}
            >
              <Input.Password maxLength={MAX_SECRET} autoComplete={enrol ? "new-password" : "off"} data-testid="sign-secret" />
            </Form.Item>
            {enrol && <RepeatField name="repeat" of="secret" label={t("ctr.secretRepeat")} testId="sign-secret-repeat" />}
            <Form.Item name="read" valuePropName="checked" rules={[{ validator: (_, v: boolean) => (v ? Promise.resolve() : Promise.reject(new Error(t("ctr.mustRead")))) }]}>
              <Checkbox data-testid="sign-read">{t("ctr.readConfirm")}</Checkbox>
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}

/** The key EnrollSigningKey just created, as GetSigningKey would show it. */
function enrolledKey(res: EnrollSigningKeyResponse): GetSigningKeyResponse {
  return { enrolled: true, keyId: res.keyId, publicKey: res.publicKey, createdAt: res.createdAt } as GetSigningKeyResponse;
}

/** A new signing secret must be long enough (the repeat field checks that it matches). */
function newSecretRule(t: (key: "ctr.secretTooShort") => string) {
  return { validator: (_: unknown, s: string) => (!s || secretProblem(s, s) !== "tooShort" ? Promise.resolve() : Promise.reject(new Error(t("ctr.secretTooShort")))) };
}

/** The secret typed a second time; must equal field `of`. */
function RepeatField({ name, of, label, testId }: { name: string; of: string; label: string; testId: string }) {
  const { t } = useI18n();
  return (
    <Form.Item
      name={name}
      label={label}
      dependencies={[of]}
      rules={[
        { required: true, message: t("common.required", { field: label }) },
        ({ getFieldValue }) => ({
          validator: (_: unknown, r: string) => (!r || r === getFieldValue(of) ? Promise.resolve() : Promise.reject(new Error(t("ctr.secretMismatch")))),
        }),
      ]}
    >
      <Input.Password maxLength={MAX_SECRET} autoComplete="new-password" data-testid={testId} />
    </Form.Item>
  );
}

/**
 * 忘记签署密码: which login address gets the code (typed in full: the browser only knows it masked), the code, and the
 * new secret twice.
 */
function ResetFields({
  form,
  kinds,
  kind,
  onKindChange,
  masks,
  error,
  unmapped,
  onSendError,
  onSubmit,
}: {
  form: FormInstance<ResetValues>;
  kinds: LoginAddressKind[];
  kind: LoginAddressKind;
  onKindChange: (k: LoginAddressKind) => void;
  masks: Record<LoginAddressKind, string>;
  error: ApiError | null;
  unmapped: FieldViolation[];
  onSendError: (e: ApiError) => void;
  onSubmit: () => void;
}) {
  const { t } = useI18n();
  const addressLabel = t(kind === "phone" ? "ctr.resetPhone" : "ctr.resetEmail");
  const masked = masks[kind];
  const wellFormed = (v: string) => (kind === "phone" ? mobileNumber(v) !== null : EMAIL_RE.test(v.trim()));
  return (
    <>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t("ctr.resetHint")} data-testid="sign-reset-hint" />
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={error.message}
          description={unmapped.length > 0 ? unmapped.map((v) => v.description).join("; ") : undefined}
          data-testid="sign-reset-error"
        />
      )}
      {kinds.length === 0 ? (
        <Alert type="warning" showIcon title={t("ctr.resetNoAddress")} data-testid="sign-reset-no-address" />
      ) : (
        <Form form={form} layout="vertical" name="signReset" preserve={false} onFinish={onSubmit}>
          {kinds.length > 1 && (
            <Form.Item label={t("ctr.resetSendTo")}>
              <Radio.Group value={kind} onChange={(e) => onKindChange(e.target.value as LoginAddressKind)} data-testid="sign-reset-kind">
                {kinds.map((k) => (
                  <Radio key={k} value={k} data-testid={`sign-reset-kind-${k}`}>
                    {t(k === "phone" ? "auth.phone" : "auth.email")} {masks[k]}
                  </Radio>
                ))}
              </Radio.Group>
            </Form.Item>
          )}
          <Form.Item
            name="address"
            label={addressLabel}
            extra={t("ctr.resetAddressHint", { masked })}
            rules={[
              { required: true, message: t("common.required", { field: addressLabel }) },
              {
                validator: (_: unknown, v: string) => {
                  if (!v) return Promise.resolve();
                  if (!wellFormed(v)) return Promise.reject(new Error(t(kind === "phone" ? "auth.phoneInvalid" : "auth.emailInvalid")));
                  return matchesMasked(kind, v, masked) ? Promise.resolve() : Promise.reject(new Error(t("ctr.resetAddressMismatch", { masked })));
                },
              },
            ]}
          >
            <Input placeholder={masked} maxLength={kind === "phone" ? 17 : 254} autoComplete={kind === "phone" ? "tel" : "email"} data-testid="sign-reset-address" />
          </Form.Item>
          <CodeField
            form={form}
            addressField="address"
            toAddress={(v) => contactAddress(kind, v)}
            purpose={VerificationPurpose.SIGNING_KEY}
            onError={onSendError}
            label={t("auth.code")}
            inputTestId="sign-reset-code"
            sendTestId="sign-reset-send"
          />
          <Form.Item
            name="secret"
            label={t("ctr.newSecret")}
            rules={[
              { required: true, message: t("common.required", { field: t("ctr.newSecret") }) },
              newSecretRule(t),
            ]}
          >
            <Input.Password maxLength={MAX_SECRET} autoComplete="new-password" data-testid="sign-reset-secret" />
          </Form.Item>
          <RepeatField name="repeat" of="secret" label={t("ctr.newSecretRepeat")} testId="sign-reset-secret-repeat" />
        </Form>
      )}
    </>
  );
}
