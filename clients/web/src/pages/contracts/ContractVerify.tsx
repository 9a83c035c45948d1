import { useState } from "react";
import { Alert, Button, Card, Descriptions, Empty, Result, Space, Tag, Typography, Upload } from "antd";
import { CheckCircleOutlined, CloseCircleOutlined, SafetyCertificateOutlined, UploadOutlined } from "@ant-design/icons";
import { Link, useParams } from "react-router";
import { contractClient } from "../../api/client";
import { parseError, type ApiError } from "../../api/errors";
import { PageHeader } from "../../components/PageHeader";
import type { VerifyContractResponse } from "../../gen/b2btrade/contract/v1/contract_service_pb";
import { groupHex, signaturePasses, verdict, type Verdict } from "../../lib/contracts";
import { formatTime } from "../../lib/labels";
import { useI18n, type MsgKey } from "../../i18n";

const VERDICT: Record<Verdict, { key: MsgKey; status: "success" | "error" | "warning" }> = {
  valid: { key: "ctr.v.valid", status: "success" },
  tampered: { key: "ctr.v.tampered", status: "error" },
  invalidSignature: { key: "ctr.v.invalidSignature", status: "error" },
  unsigned: { key: "ctr.v.unsigned", status: "warning" },
};

function Check({ ok, label, testId }: { ok: boolean; label: string; testId: string }) {
  return (
    <Tag color={ok ? "success" : "error"} icon={ok ? <CheckCircleOutlined /> : <CloseCircleOutlined />} data-testid={testId} data-ok={ok ? "1" : "0"}>
      {label}
    </Tag>
  );
}

/** /contracts/:contractId/verify — VerifyContract on the stored document or on a file the user picks. */
export default function ContractVerifyPage() {
  const { t } = useI18n();
  const { contractId = "" } = useParams();
  const [result, setResult] = useState<VerifyContractResponse | null>(null);
  const [checked, setChecked] = useState<string>("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const verify = async (document?: Uint8Array, name?: string) => {
    setBusy(true);
    setError(null);
    try {
      const res = await contractClient.verifyContract({ contractId, document: document ?? new Uint8Array() });
      setResult(res);
      setChecked(name ?? "");
    } catch (e) {
      setError(parseError(e));
      setResult(null);
    } finally {
      setBusy(false);
    }
  };

  const v = result ? verdict(result) : null;
  return (
    <>
      <PageHeader back={`/contracts/${contractId}`} title={t("ctr.verifyTitle")} />
      <Card size="small" className="section-card">
        <Typography.Paragraph type="secondary">{t("ctr.verifyHint")}</Typography.Paragraph>
        <Space wrap>
          <Button type="primary" icon={<SafetyCertificateOutlined />} loading={busy} onClick={() => void verify()} data-testid="verify-stored">
            {t("ctr.verifyStored")}
          </Button>
          <Upload
            accept="application/pdf,.pdf"
            showUploadList={false}
            beforeUpload={(file) => {
              void file.arrayBuffer().then((buf) => verify(new Uint8Array(buf), file.name));
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={busy} data-testid="verify-upload">
              {t("ctr.verifyFile")}
            </Button>
          </Upload>
        </Space>
      </Card>
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 16 }} data-testid="verify-error" />}
      {result && v ? (
        <>
          <Result
            status={VERDICT[v].status}
            title={<span data-testid="verify-verdict" data-verdict={v}>{t(VERDICT[v].key)}</span>}
            subTitle={checked ? t("ctr.checkedFile", { name: checked }) : t("ctr.checkedStored")}
            style={{ padding: 16 }}
          />
          <Card size="small" className="section-card" title={t("ctr.findings")}>
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: "doc", label: t("ctr.checkedHash"), children: <Typography.Text code data-testid="verify-hash">{groupHex(result.documentSha256)}</Typography.Text> },
                { key: "exp", label: t("ctr.expectedHash"), children: <Typography.Text code>{groupHex(result.expectedSha256)}</Typography.Text> },
                { key: "tamper", label: t("ctr.documentIntact"), children: <Check ok={!result.documentTampered} label={t(result.documentTampered ? "ctr.v.modified" : "ctr.v.intact")} testId="verify-intact" /> },
                { key: "full", label: t("ctr.fullySigned"), children: <Check ok={result.fullySigned} label={t(result.fullySigned ? "common.yes" : "common.no")} testId="verify-fully-signed" /> },
              ]}
            />
            {result.findings.length > 0 && (
              <ul data-testid="verify-findings" style={{ marginTop: 8 }}>
                {result.findings.map((f, i) => (
                  <li key={i} data-testid="verify-finding">
                    {f}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card size="small" className="section-card" title={t("ctr.signatures")}>
            {result.signatures.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("ctr.noSignatures")} />}
            {result.signatures.map((c, i) => (
              <div key={i} data-testid="verify-signature" data-ok={signaturePasses(c) ? "1" : "0"} style={{ marginBottom: 10 }}>
                <Tag color={c.signature?.buyerSide ? "blue" : "green"}>{t(c.signature?.buyerSide ? "ctr.buyer" : "ctr.seller")}</Tag>
                <strong>{c.signature?.signerName}</strong> · <span className="small">{formatTime(c.signature?.signedAt)}</span> · <span className="small muted">{c.signature?.keyId}</span>
                <div style={{ marginTop: 4 }}>
                  <Check ok={c.signatureValid} label={t("ctr.c.signature")} testId="check-signature" />
                  <Check ok={c.timestampValid} label={t("ctr.c.timestamp")} testId="check-timestamp" />
                  <Check ok={c.keyBelongsToSigner} label={t("ctr.c.key")} testId="check-key" />
                </div>
              </div>
            ))}
          </Card>
        </>
      ) : (
        !error && <Empty description={t("ctr.verifyNone")} />
      )}
      <Link to={`/contracts/${contractId}`}>{t("common.back")}</Link>
    </>
  );
}
