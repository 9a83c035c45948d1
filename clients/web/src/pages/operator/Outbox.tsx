import { useCallback, useEffect, useState } from "react";
import { Alert, Button, Card, Input, Table, Tag } from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import { operatorClient } from "../../api/client";
import { PageHeader } from "../../components/PageHeader";
import { formatTime } from "../../lib/labels";
import { LoadMore, usePagedList } from "../../lib/usePagedList";
import type { OutboxMessage } from "../../gen/b2btrade/operations/v1/operator_service_pb";
import { useI18n } from "../../i18n";

export default function OutboxPage() {
  const { t } = useI18n();
  const [recipient, setRecipient] = useState("");
  const { items, next, loading, load } = usePagedList(
    useCallback(async (pageToken: string, filter: string) => {
      const res = await operatorClient.listOutboxMessages({ recipient: filter.trim(), pageSize: 50, pageToken });
      return { items: res.messages, nextPageToken: res.nextPageToken };
    }, []),
  );

  useEffect(() => {
    void load("", "");
  }, [load]);

  return (
    <>
      <PageHeader
        title={t("op.outboxTitle")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => load("", recipient)}>
            {t("common.refresh")}
          </Button>
        }
      />
      <Alert type="info" showIcon title={t("op.outboxHint")} style={{ marginBottom: 16 }} />
      <Card>
        <Input.Search
          allowClear
          placeholder={t("op.recipientFilter")}
          enterButton={t("op.search")}
          value={recipient}
          onChange={(e) => setRecipient(e.target.value)}
          onSearch={(v) => load("", v)}
          style={{ maxWidth: 480, marginBottom: 16 }}
          data-testid="outbox-filter"
        />
        <Table<OutboxMessage>
          rowKey={(r) => String(r.messageId)}
          loading={loading}
          dataSource={items}
          pagination={false}
          data-testid="outbox-table"
          columns={[
            { title: "#", key: "id", width: 70, render: (_, r) => String(r.messageId) },
            { title: t("op.channel"), key: "ch", width: 90, render: (_, r) => <Tag color={r.channel === "sms" ? "green" : "blue"}>{r.channel.toUpperCase()}</Tag> },
            { title: t("op.recipient"), key: "to", render: (_, r) => <span className="mono">{r.recipient}</span> },
            { title: t("op.body"), key: "body", render: (_, r) => <span className="outbox-body">{r.body}</span> },
            { title: t("op.time"), key: "t", width: 170, render: (_, r) => formatTime(r.createTime) },
          ]}
        />
        <LoadMore next={next} onLoad={(token) => load(token, recipient)} />
      </Card>
    </>
  );
}
