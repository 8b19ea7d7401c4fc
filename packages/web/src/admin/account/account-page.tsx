export default function Page() {
  return <section>account-page</section>;
}
