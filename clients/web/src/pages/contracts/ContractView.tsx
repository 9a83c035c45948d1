import { useCallback, useEffect, useRef, useState } from "react";
import { App, Button, Card, Col, Descriptions, Empty, Result, Row, Space, Spin, Table, Tabs, Tag, Typography } from "antd";
import { DownloadOutlined, EditOutlined, SafetyCertificateOutlined } from "@ant-design/icons";
import { Code } from "@connectrpc/connect";
import { Link, useParams } from "react-router";
import { contractClient } from "../../api/client";
import { parseError, type ApiError } from "../../api/errors";
import { PageHeader } from "../../components/PageHeader";
import { ContractStatusTag } from "../../components/orders/labels";
import { SignDialog } from "../../components/orders/SignDialog";
import { ContractStatus, DocumentFormat, type Contract, type ContractGoodsLine, type ContractParty } from "../../gen/b2btrade/contract/v1/contract_service_pb";
import { useMyEnterprises } from "../../lib/catalogData";
import { groupHex, keyFingerprint, safeFileName, signableParties } from "../../lib/contracts";
import { formatTonnes } from "../../lib/decimal";
import { useInbox, useInboxNotifications } from "../../lib/inbox";
import { formatTime } from "../../lib/labels";
import { formatMoney } from "../../lib/money";
import { useI18n } from "../../i18n";

function PartyCard({ title, party, testId }: { title: string; party: ContractParty | undefined; testId: string }) {
  const { t } = useI18n();
  return (
    <Card size="small" className="section-card" title={title} data-testid={testId}>
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: "name", label: t("ctr.p.name"), children: <span data-testid={`${testId}-name`}>{party?.legalName}</span> },
          { key: "code", label: t("ctr.p.creditCode"), children: party?.creditCode },
          { key: "rep", label: t("ctr.p.legalRep"), children: party?.legalRepresentative },
          { key: "addr", label: t("ctr.p.address"), children: party?.address },
          { key: "contact", label: t("ctr.p.contact"), children: `${party?.contactName ?? ""} ${party?.contactPhone ?? ""}` },
          { key: "bank", label: t("ctr.p.bank"), children: `${party?.bankName ?? ""} ${party?.bankAccountName ?? ""} ${party?.bankAccountNumber ?? ""}` },
        ]}
      />
    </Card>
  );
}

/** Saves bytes as a file through a temporary blob URL. */
function saveBlob(bytes: Uint8Array, type: string, name: string) {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The contract's HTML rendering in a sandboxed iframe (no scripts, no same-origin access): srcdoc, sandbox="". */
function HtmlView({ contractId }: { contractId: string }) {
  const { t } = useI18n();
  const [html, setHtml] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    contractClient
      .downloadContract({ contractId, format: DocumentFormat.HTML })
      .then((r) => setHtml(new TextDecoder("utf-8").decode(r.content)))
      .catch((e) => setError(parseError(e)));
  }, [contractId]);
  if (error) return <Empty description={error.message} />;
  if (html === null) return <Spin />;
  return <iframe title={t("ctr.htmlView")} sandbox="" srcDoc={html} className="contract-frame" style={{ width: "100%", height: 720, border: "1px solid #eee", background: "#fff" }} data-testid="contract-html" />;
}

/** /contracts/:contractId — parties, goods, total + 大写, clauses, signatures; PDF download, HTML view, 签署, 验证. */
export default function ContractViewPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { contractId = "" } = useParams();
  const { enterprises } = useMyEnterprises();
  const { markSubjectRead } = useInbox();
  const [contract, setContract] = useState<Contract | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [signing, setSigning] = useState<string>("");
  const [downloading, setDownloading] = useState(false);

  const load = useCallback(async () => {
    try {
      const res = await contractClient.getContract({ contractId });
      setContract(res.contract ?? null);
      setError(null);
    } catch (e) {
      setError(parseError(e));
    }
  }, [contractId]);
  useEffect(() => {
    void load();
  }, [load]);

  // The other party's signature arrives as a notification about this contract (or its order): read it again.
  const timer = useRef<number | undefined>(undefined);
  const orderId = contract?.orderId ?? "";
  useInboxNotifications((n) => {
    if (n.read || (n.subjectId !== contractId && n.subjectId !== orderId)) return;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void load(), 200);
  });
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const signatures = contract?.signatures.length ?? 0;
  useEffect(() => {
    if (contract && document.visibilityState === "visible") markSubjectRead(contractId);
  }, [contractId, signatures, markSubjectRead]); // eslint-disable-line react-hooks/exhaustive-deps

  const downloadPdf = async () => {
    setDownloading(true);
    try {
      const r = await contractClient.downloadContract({ contractId, format: DocumentFormat.PDF });
      saveBlob(r.content, r.contentType || "application/pdf", safeFileName(r.fileName, `${contract?.contractNumber || contractId}.pdf`));
    } catch (e) {
      message.error(parseError(e).message);
    } finally {
      setDownloading(false);
    }
  };

  if (error && !contract)
    return (
      <Result
        status={error.code === Code.NotFound ? "404" : "error"}
        title={error.code === Code.NotFound ? t("ctr.notFound") : error.message}
        extra={<Link to="/contracts">{t("common.back")}</Link>}
      />
    );
  if (!contract || !enterprises) return <Spin style={{ display: "block", margin: 80 }} />;

  const rolesOf = (id: string) => enterprises.find((e) => e.enterpriseId === id)?.myRoles ?? [];
  const canSign = signableParties(contract, rolesOf);
  const partyName = (id: string) => (id === contract.buyer?.enterpriseId ? contract.buyer?.legalName : contract.seller?.legalName) ?? id;

  return (
    <>
      <PageHeader
        back={`/orders/${contract.orderId}`}
        title={<span data-testid="contract-title">{t("ctr.title", { no: contract.contractNumber })}</span>}
        sub={<ContractStatusTag status={contract.status} />}
        extra={
          <Space wrap>
            {canSign.map((id) => (
              <Button key={id} type="primary" icon={<EditOutlined />} onClick={() => setSigning(id)} data-testid="contract-sign" data-enterprise-id={id}>
                {canSign.length > 1 ? t("ctr.signFor", { name: partyName(id) }) : t("ctr.sign")}
              </Button>
            ))}
            <Button icon={<DownloadOutlined />} loading={downloading} onClick={() => void downloadPdf()} data-testid="contract-download">
              {t("ctr.downloadPdf")}
            </Button>
            <Link to={`/contracts/${contractId}/verify`} data-testid="contract-verify-link">
              <Button icon={<SafetyCertificateOutlined />}>{t("ctr.verify")}</Button>
            </Link>
          </Space>
        }
      />
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        style={{ marginBottom: 12 }}
        items={[
          { key: "order", label: t("ctr.order"), children: <Link to={`/orders/${contract.orderId}`}>{contract.orderId}</Link> },
          { key: "created", label: t("common.createdAt"), children: formatTime(contract.createdAt) },
          { key: "effective", label: t("ctr.effectiveAt"), children: <span data-testid="contract-effective-at">{contract.effectiveAt ? formatTime(contract.effectiveAt) : "—"}</span> },
          {
            key: "hash",
            label: t("ctr.documentHash"),
            span: 3,
            children: (
              <Typography.Text code copyable={{ text: contract.documentSha256 }} data-testid="contract-hash" data-hash={contract.documentSha256}>
                {groupHex(contract.documentSha256)}
              </Typography.Text>
            ),
          },
        ]}
      />
      <Tabs
        items={[
          {
            key: "content",
            label: t("ctr.content"),
            children: (
              <>
                <Row gutter={16}>
                  <Col xs={24} md={12}>
                    <PartyCard title={t("ctr.buyer")} party={contract.buyer} testId="contract-buyer" />
                  </Col>
                  <Col xs={24} md={12}>
                    <PartyCard title={t("ctr.seller")} party={contract.seller} testId="contract-seller" />
                  </Col>
                </Row>
                <Card size="small" className="section-card" title={t("ctr.goods")}>
                  <Table<ContractGoodsLine>
                    size="small"
                    pagination={false}
                    rowKey="lineNumber"
                    dataSource={contract.goods}
                    data-testid="contract-goods"
                    columns={[
                      { title: "#", dataIndex: "lineNumber", key: "n", width: 48 },
                      { title: t("listing.product"), key: "name", render: (_, r) => r.productName },
                      { title: t("ctr.spec"), key: "spec", render: (_, r) => <span className="small">{r.specification}</span> },
                      { title: t("neg.f.quantity"), key: "qty", align: "right", render: (_, r) => `${formatTonnes(r.quantityTonnes?.value)} ${t("listing.tonnes")}` },
                      { title: t("ord.unitPriceTax"), key: "price", align: "right", render: (_, r) => <span className="amount">{formatMoney(r.unitPrice)}</span> },
                      { title: t("ord.vatRate"), key: "vat", align: "right", render: (_, r) => (r.vatRatePercent?.value ? `${r.vatRatePercent.value}%` : "—") },
                      { title: t("ord.amount"), key: "amount", align: "right", render: (_, r) => <span className="amount">{formatMoney(r.amount)}</span> },
                    ]}
                  />
                  <div className="totals-box" style={{ marginTop: 12 }}>
                    <div className="totals-line totals-total">
                      <span>{t("ord.total")}</span>
                      <strong className="amount" data-testid="contract-total">{formatMoney(contract.totalAmount)}</strong>
                    </div>
                    <div className="totals-line">
                      <span>{t("ord.totalInWords")}</span>
                      <span data-testid="contract-total-words">{contract.totalInWords}</span>
                    </div>
                  </div>
                </Card>
                <Card size="small" className="section-card" title={t("ctr.clauses")} data-testid="contract-clauses">
                  {contract.clauses.map((c, i) => (
                    <div key={i} className="contract-clause" data-testid="contract-clause">
                      <strong>
                        {c.number} {c.heading}
                      </strong>
                      <div className="plain-text">{c.text}</div>
                    </div>
                  ))}
                </Card>
              </>
            ),
          },
          { key: "html", label: <span data-testid="contract-tab-html">{t("ctr.htmlView")}</span>, children: <HtmlView contractId={contractId} /> },
        ]}
      />
      <Card size="small" className="section-card" title={t("ctr.signatures")} data-testid="contract-signatures">
        {contract.signatures.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("ctr.noSignatures")} />
        ) : (
          contract.signatures.map((s, i) => (
            <div key={i} className="contract-signature" data-testid="contract-signature" data-side={s.buyerSide ? "buyer" : "seller"} style={{ marginBottom: 8 }}>
              <Tag color={s.buyerSide ? "blue" : "green"}>{t(s.buyerSide ? "ctr.buyer" : "ctr.seller")}</Tag>
              <strong>{partyName(s.enterpriseId)}</strong> · {s.signerName} · <span className="small">{formatTime(s.signedAt)}</span>
              <div className="small muted">
                {t("ctr.keyId")}: <span data-testid="signature-key-id">{s.keyId}</span> ({keyFingerprint(s.publicKey)}) · SHA-256 {groupHex(s.documentSha256).slice(0, 17)}…
              </div>
            </div>
          ))
        )}
        {contract.status === ContractStatus.EFFECTIVE && (
          <Tag color="success" data-testid="contract-effective">
            {t("ctr.status.effective")}
          </Tag>
        )}
      </Card>
      {signing && (
        <SignDialog
          open={!!signing}
          contract={contract}
          enterpriseId={signing}
          enterpriseName={partyName(signing)}
          onClose={() => setSigning("")}
          onSigned={(c) => {
            setContract(c);
            setSigning("");
            message.success(t(c.status === ContractStatus.EFFECTIVE ? "ctr.signedEffective" : "ctr.signed"));
          }}
        />
      )}
    </>
  );
}
