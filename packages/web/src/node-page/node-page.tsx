export default function NodePage({ uuid }: { uuid: string }) {
  return <main className="page">{uuid}</main>;
}
