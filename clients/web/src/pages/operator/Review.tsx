import { useCallback, useEffect } from "react";
import { Button, Card, Segmented, Table } from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import { Link, useSearchParams } from "react-router";
import { operatorClient } from "../../api/client";
import { PageHeader } from "../../components/PageHeader";
import { VerificationTag, formatTime, verificationStatusKey } from "../../lib/labels";
import { LoadMore, usePagedList } from "../../lib/usePagedList";
import { VerificationStatus } from "../../gen/b2btrade/enterprise/v1/enterprise_service_pb";
import type { VerificationRequest } from "../../gen/b2btrade/operations/v1/operator_service_pb";
import { useI18n } from "../../i18n";

const FILTERS = [VerificationStatus.PENDING, VerificationStatus.VERIFIED, VerificationStatus.REJECTED, VerificationStatus.UNVERIFIED];

export default function ReviewQueuePage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const status = Number(params.get("status") ?? VerificationStatus.PENDING) as VerificationStatus;
  const { items, next, loading, load } = usePagedList(
    useCallback(
      async (pageToken: string) => {
        const res = await operatorClient.listVerificationRequests({ status, pageSize: 50, pageToken });
        return { items: res.requests, nextPageToken: res.nextPageToken };
      },
      [status],
    ),
  );

  useEffect(() => {
    void load();
  }, [load, lang]);

  return (
    <>
      <PageHeader
        title={t("op.reviewTitle")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => load()} data-testid="review-refresh">
            {t("common.refresh")}
          </Button>
        }
      />
      <Card>
        <Segmented
          data-testid="review-status-filter"
          value={status}
          onChange={(v) => setParams({ status: String(v) }, { replace: true })}
          options={FILTERS.map((s) => ({ value: s, label: t(verificationStatusKey(s)) }))}
          style={{ marginBottom: 16 }}
        />
        <Table<VerificationRequest>
          rowKey="enterpriseId"
          loading={loading}
          dataSource={items}
          pagination={false}
          locale={{ emptyText: t("op.queueEmpty") }}
          onRow={(r) => ({ "data-testid": "review-row", "data-enterprise-id": r.enterpriseId } as React.HTMLAttributes<HTMLElement>)}
          columns={[
            { title: t("ent.legalName"), key: "name", render: (_, r) => <Link to={`/operator/verifications/${r.enterpriseId}`}>{r.legalName}</Link> },
            { title: t("ent.creditCode"), key: "code", render: (_, r) => <span className="mono">{r.unifiedSocialCreditCode}</span> },
            { title: t("common.status"), key: "s", render: (_, r) => <VerificationTag status={r.status} /> },
            { title: t("op.submitTime"), key: "t", render: (_, r) => formatTime(r.submitTime) },
            {
              title: t("common.actions"),
              key: "a",
              render: (_, r) => (
                <Link to={`/operator/verifications/${r.enterpriseId}`} data-testid="review-open">
                  {t("op.review")}
                </Link>
              ),
            },
          ]}
        />
        <LoadMore next={next} onLoad={load} />
      </Card>
    </>
  );
}
