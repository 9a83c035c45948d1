import { useCallback, useEffect, useMemo } from "react";
import { Card, Empty, Select, Table } from "antd";
import { Link, useNavigate, useSearchParams } from "react-router";
import { contractClient } from "../../api/client";
import { linkedRow } from "../../components/EnterpriseListParts";
import { PageHeader } from "../../components/PageHeader";
import { ContractStatusTag } from "../../components/orders/labels";
import { ContractStatus, type ContractSummary } from "../../gen/b2btrade/contract/v1/contract_service_pb";
import { useMyEnterprises } from "../../lib/catalogData";
import { formatTime } from "../../lib/labels";
import { formatMoney } from "../../lib/money";
import { LoadMore, usePagedList } from "../../lib/usePagedList";
import { useI18n } from "../../i18n";

/** /contracts — the contracts of one of the caller's enterprises (as buyer or seller), newest first. */
export default function ContractListPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const { enterprises } = useMyEnterprises();
  const mine = useMemo(() => enterprises ?? [], [enterprises]);
  const enterpriseId = params.get("enterprise") || mine[0]?.enterpriseId || "";
  const { items, next, loading, load } = usePagedList(
    useCallback(async (pageToken: string, ent: string) => {
      const res = await contractClient.listContracts({ enterpriseId: ent, pageSize: 20, pageToken });
      return { items: res.contracts, nextPageToken: res.nextPageToken };
    }, []),
  );
  useEffect(() => {
    if (enterpriseId) void load("", enterpriseId);
  }, [load, enterpriseId]);

  return (
    <>
      <PageHeader
        title={t("nav.contracts")}
        extra={
          <Select
            style={{ minWidth: 260 }}
            value={enterpriseId || undefined}
            loading={!enterprises}
            onChange={(v: string) => setParams({ enterprise: v }, { replace: true })}
            options={mine.map((e) => ({ value: e.enterpriseId, label: e.profile?.legalName ?? e.enterpriseId }))}
            data-testid="contracts-enterprise"
          />
        }
      />
      <Card>
        <Table<ContractSummary>
          rowKey="contractId"
          loading={loading && items.length === 0}
          dataSource={items}
          pagination={false}
          data-testid="contract-table"
          onRow={(r) => linkedRow({ "data-testid": "contract-row", "data-contract-id": r.contractId, "data-status": ContractStatus[r.status] }, `/contracts/${r.contractId}`, navigate)}
          locale={{ emptyText: <Empty description={t("ctr.empty")} /> }}
          columns={[
            { title: t("ctr.number"), key: "no", render: (_, r) => <Link to={`/contracts/${r.contractId}`}>{r.contractNumber}</Link> },
            { title: t("ctr.order"), key: "order", render: (_, r) => <Link to={`/orders/${r.orderId}`}>{r.orderId}</Link> },
            { title: t("ctr.buyer"), key: "buyer", dataIndex: "buyerName" },
            { title: t("ctr.seller"), key: "seller", dataIndex: "sellerName" },
            { title: t("ord.total"), key: "total", align: "right", render: (_, r) => <span className="amount">{formatMoney(r.totalAmount)}</span> },
            { title: t("common.status"), key: "status", render: (_, r) => <ContractStatusTag status={r.status} testId="contract-row-status" /> },
            { title: t("common.createdAt"), key: "created", render: (_, r) => <span className="small">{formatTime(r.createdAt)}</span> },
          ]}
        />
        <LoadMore next={next} onLoad={(tok) => load(tok, enterpriseId)} />
      </Card>
    </>
  );
}
