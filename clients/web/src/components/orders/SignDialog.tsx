import { useEffect, useState } from "react";
import { Alert, Button, Checkbox, Form, Input, Modal, Spin, Typography } from "antd";
import { SafetyCertificateOutlined } from "@ant-design/icons";
import { contractClient } from "../../api/client";
import { parseError, type ApiError } from "../../api/errors";
import type { Contract, GetSigningKeyResponse } from "../../gen/b2btrade/contract/v1/contract_service_pb";
import { groupHex, keyFingerprint, secretProblem, MAX_SECRET } from "../../lib/contracts";
import { formatTime } from "../../lib/labels";
import { useI18n } from "../../i18n";

interface Values {
  secret?: string;
  repeat?: string;
  read?: boolean;
}

/**
 * 签署: for a first signature the signatory creates a signing key sealed under a secret typed twice (EnrollSigningKey),
 * then signs with it; later signatures ask for the secret only. The document SHA-256 shown is the one signed.
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
  const [form] = Form.useForm<Values>();
  const [key, setKey] = useState<GetSigningKeyResponse | null>(null);
  const [keyError, setKeyError] = useState<ApiError | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setKey(null);
    setError(null);
    setKeyError(null);
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
        setKey({ enrolled: true, keyId: res.keyId, publicKey: res.publicKey, createdAt: res.createdAt } as GetSigningKeyResponse);
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
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t("common.cancel")}
        </Button>,
        <Button key="ok" type="primary" loading={busy} disabled={!key} onClick={() => void submit()} data-testid="sign-submit">
          {t(enrol ? "ctr.enrolAndSign" : "ctr.sign")}
        </Button>,
      ]}
    >
      {keyError && <Alert type="error" showIcon title={keyError.message} style={{ marginBottom: 12 }} />}
      {!key && !keyError && <Spin />}
      {key && (
        <>
          <div className="small" style={{ marginBottom: 8 }}>
            {t("ctr.documentHash")}:
            <Typography.Text code copyable={{ text: contract.documentSha256 }} className="hash" data-testid="sign-hash">
              {groupHex(contract.documentSha256)}
            </Typography.Text>
          </div>
          {enrol ? (
            <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t("ctr.enrolHint")} data-testid="sign-enrol-hint" />
          ) : (
            <div className="small muted" style={{ marginBottom: 12 }} data-testid="sign-key">
              {t("ctr.yourKey", { id: key.keyId, fp: keyFingerprint(key.publicKey), time: formatTime(key.createdAt) })}
            </div>
          )}
          {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} data-testid="sign-error" />}
          <Form form={form} layout="vertical" name="sign" onFinish={() => void submit()}>
            <Form.Item
              name="secret"
              label={t("ctr.secret")}
              rules={[
                { required: true, message: t("common.required", { field: t("ctr.secret") }) },
                ...(enrol
                  ? [
                      {
                        validator: (_: unknown, s: string) =>
                          !s || secretProblem(s, s) !== "tooShort" ? Promise.resolve() : Promise.reject(new Error(t("ctr.secretTooShort"))),
                      },
                    ]
                  : []),
              ]}
            >
              <Input.Password maxLength={MAX_SECRET} autoComplete={enrol ? "new-password" : "off"} data-testid="sign-secret" />
            </Form.Item>
            {enrol && (
              <Form.Item
                name="repeat"
                label={t("ctr.secretRepeat")}
                dependencies={["secret"]}
                rules={[
                  { required: true, message: t("common.required", { field: t("ctr.secretRepeat") }) },
                  ({ getFieldValue }) => ({
                    validator: (_: unknown, r: string) => (!r || r === getFieldValue("secret") ? Promise.resolve() : Promise.reject(new Error(t("ctr.secretMismatch")))),
                  }),
                ]}
              >
                <Input.Password maxLength={MAX_SECRET} autoComplete="new-password" data-testid="sign-secret-repeat" />
              </Form.Item>
            )}
            <Form.Item name="read" valuePropName="checked" rules={[{ validator: (_, v: boolean) => (v ? Promise.resolve() : Promise.reject(new Error(t("ctr.mustRead")))) }]}>
              <Checkbox data-testid="sign-read">{t("ctr.readConfirm")}</Checkbox>
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
